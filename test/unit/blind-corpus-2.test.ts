/**
 * The second blind corpus (test/corpus/blind-replies-2.csv). Its one blind measurement: agreement 152/209
 * (72.7 %), invalid-address recall 60/81 (74.1 %), 3 wrong suppressions (#4 "Too many invalid recipients", #23
 * "Your account has been suspended", #86 "556 remote ip check error"), 47/209 (22.5 %) unclassified. Its
 * disagreements were then read and the rules generalised from them, so it is a development corpus now; the floors
 * hold the current levels: agreement 201/209, recall 76/81, no wrong suppression, 6/209 unclassified.
 */
import { describeBlindCorpus } from '../helpers/blind-corpus.js';

describeBlindCorpus('second blind held-out corpus', 'blind-replies-2.csv', {
  agreement: 201 / 209 - 0.01,
  invalidRecall: 76 / 81 - 0.01,
  wrongSuppressions: 0,
  unclassifiedShare: 6 / 209 + 0.01,
});
