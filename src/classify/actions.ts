/** What a sender should do about a row, by bucket (explain, --rows-out --explain). */
import type { Bucket } from './types.js';

export type Action = 'suppress' | 'retry-later' | 'fix-sender' | 'review' | 'none';

/** Recommended action per bucket: what a sender should do about such a row. */
export const ACTIONS: { readonly [K in Bucket | 'delivered']: Action } = {
  'invalid-address': 'suppress',
  soft: 'retry-later',
  blocked: 'fix-sender',
  unclassified: 'review',
  delivered: 'none',
};
