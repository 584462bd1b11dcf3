// Op types that touch the server's file system or log when they run: what `saved_model_cli scan`
// warns about (ReadFile, WriteFile, PrintV2) and the other ops of TensorFlow's core op list that
// open, list, write or configure files by a path given at run time. A request must not be able to
// make the server read /etc/passwd, write files, or fill its log. Left out on purpose:
// InitializeTableFromTextFile(V2), which reads a vocabulary asset from the model's own assets/
// in its init op; summary writes (WriteScalarSummary...) go through a writer whose creation is listed.

export type FileAccess = 'reads files' | 'writes files' | 'prints to the server log' | 'configures file systems';

const OPS: Readonly<Record<FileAccess, readonly string[]>> = {
  'reads files': [
    'ReadFile', 'MatchingFiles', 'MatchingFilesDataset', 'ExperimentalMatchingFilesDataset',
    'Restore', 'RestoreV2', 'RestoreSlice', 'DTensorRestoreV2', 'LoadAndRemapMatrix', 'GenerateVocabRemapping', 'ImmutableConst',
    'TFRecordDataset', 'TFRecordDatasetV2', 'TextLineDataset', 'FixedLengthRecordDataset', 'FixedLengthRecordDatasetV2',
    'CSVDataset', 'CSVDatasetV2', 'ExperimentalCSVDataset', 'LMDBDataset', 'ExperimentalLMDBDataset', 'SqlDataset', 'ExperimentalSqlDataset',
    'LoadDataset', 'SnapshotDatasetReader', 'SnapshotNestedDatasetReader', 'SnapshotChunkDataset', 'ListSnapshotChunksDataset',
    'WholeFileReader', 'WholeFileReaderV2', 'TextLineReader', 'TextLineReaderV2', 'TFRecordReader', 'TFRecordReaderV2',
    'FixedLengthRecordReader', 'FixedLengthRecordReaderV2', 'LMDBReader',
  ],
  'writes files': [
    'WriteFile', 'Save', 'SaveV2', 'SaveSlices', 'MergeV2Checkpoints', 'DatasetToTFRecord', 'ExperimentalDatasetToTFRecord',
    'SaveDataset', 'SaveDatasetV2', 'DistributedSave', 'SnapshotDataset', 'SnapshotDatasetV2',
    'CreateSummaryFileWriter', 'CreateSummaryDbWriter',
    // tfdbg: dump tensors to the file:// URLs or dump root of their attributes.
    'DebugIdentity', 'DebugIdentityV2', 'DebugIdentityV3', 'DebugNanCount', 'DebugNumericSummary',
  ],
  // PrintV2's output_stream may also name a file (`file://...`).
  'prints to the server log': ['Print', 'PrintV2'],
  'configures file systems': ['FileSystemSetConfiguration'],
};

const BY_OP: ReadonlyMap<string, FileAccess> = new Map(
  (Object.entries(OPS) as Array<[FileAccess, readonly string[]]>).flatMap(([access, ops]) => ops.map((op): [string, FileAccess] => [op, access])),
);

/** What an op type does to the file system or log, or undefined if nothing. */
export function fileAccessOf(op: string): FileAccess | undefined {
  return BY_OP.get(op);
}

/** Every listed op type, for the docs and the catalog test. */
export function fileAccessOps(): ReadonlyArray<readonly [string, FileAccess]> {
  return [...BY_OP];
}
