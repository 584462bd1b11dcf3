// Why an op the built-in runtime cannot run stays refused, in a few words naming what it belongs
// to: the ops of add-on libraries (TF-Text, TF-DF, TensorRT) have no TensorFlow.js kernel, and no
// general mechanism here can stand in for them.
const TF_TEXT = /^(TokenizerFromLogits|(Fast)?Wordpiece|WhitespaceTokenize|UnicodeScriptTokenize|RegexSplit|SplitMergeTokenize|SplitMergeFromLogitsTokenize|Sentencepiece|NormalizeUTF8|CaseFoldUTF8|FastBertNormalize|ConstrainedSequence|MaxSpanningTree|NgramsStringJoin|RougeL|SentenceFragments|SplitWordsWithOffsets|FastSentencepiece|BoiseOffsetConverter|ByteSplit|RegexSplitWithOffsets|TFText)/;
const TF_DF = /^SimpleML/;
const SEQUENCE_EXAMPLE = /^Parse(Single)?SequenceExample/;
const EXAMPLE_PARSERS: ReadonlySet<string> = new Set(['ParseExample', 'ParseExampleV2', 'ParseSingleExample']);

export function refusalReason(op: string): string | undefined {
  if (TF_TEXT.test(op)) return 'a TensorFlow Text (tensorflow_text) op: TensorFlow.js has no kernel for it';
  if (TF_DF.test(op)) return 'a TensorFlow Decision Forests (TF-DF) op: the forest runs in TF-DF\'s own inference engine';
  if (SEQUENCE_EXAMPLE.test(op)) return 'a tf.SequenceExample parser: the built-in runtime parses tf.Example inputs only';
  // Those it can parse it takes out of the graph (example/): one left means it could not.
  if (EXAMPLE_PARSERS.has(op)) return 'its tf.Examples are not a signature input, or its keys or defaults are not constants: the built-in runtime parses only Examples sent in the request';
  if (op === 'TRTEngineOp') return 'a TensorRT engine without its segment_func fallback in the graph\'s library';
  return undefined;
}
