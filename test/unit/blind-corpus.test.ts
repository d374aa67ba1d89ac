/**
 * The first blind corpus (test/corpus/blind-replies.csv). Its one blind measurement, before any rule saw it:
 * agreement 180/217 (82.9 %), invalid-address recall 52/70 (74.3 %), no wrong suppression, 35/217 (16.1 %)
 * unclassified. Its disagreements were then read and the rules generalised from them, so it is a development
 * corpus now; the floors hold the current levels: agreement 214/217, recall 70/70, no wrong suppression,
 * 1/217 unclassified.
 */
import { describeBlindCorpus } from '../helpers/blind-corpus.js';

describeBlindCorpus('blind held-out corpus', 'blind-replies.csv', {
  agreement: 214 / 217 - 0.01,
  invalidRecall: 70 / 70 - 0.01,
  wrongSuppressions: 0,
  unclassifiedShare: 1 / 217 + 0.01,
});
