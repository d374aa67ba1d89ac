/**
 * Every default the tool applies when a flag is not given, in one table. The CLI's --help, the
 * option parser and the library read them from here; docs/options.md documents them.
 * (Policy defaults for ambiguous replies live with their reasoning in classify/policies.ts.)
 */
export const DEFAULTS = {
  /** Invalid-address rate above which a campaign is `warn`, in percent. */
  warnAbovePercent: 2,
  /** Rate above which a campaign is `fail` and the run exits 1, in percent. */
  failAbovePercent: 5,
  /** Campaigns with fewer messages sent are `low-volume`: reported, never failing. */
  minSent: 100,
  /** Where the suppression CSV goes. */
  out: 'suppression.csv',
  /** Shape of the suppression CSV. */
  profile: 'generic',
  /** Report on standard output. */
  format: 'human',
  /** Lowest verdict that exits 1. */
  failOn: 'fail',
  /** Most threads used for one large CSV file when --threads is not given (and at most the CPU count). */
  maxThreads: 4,
  /** Most threads --threads accepts. */
  threadsLimit: 16,
  /** Seconds a run waits for another run's lock on the --merge list before it gives up. */
  lockWaitSeconds: 300,
} as const;

/** Thresholds as fractions (0.02 = 2 %), as the counting stage uses them. */
export interface Thresholds {
  warnAbove: number;
  failAbove: number;
  minSent: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  warnAbove: DEFAULTS.warnAbovePercent / 100,
  failAbove: DEFAULTS.failAbovePercent / 100,
  minSent: DEFAULTS.minSent,
};
