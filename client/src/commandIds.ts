// Command ids, as package.json contributes them (a unit test holds the two together).
export const COMMANDS = {
  showOutput: 'savedmodelLens.showOutput',
  check: 'savedmodelLens.check',
  exportText: 'savedmodelLens.exportText',
  exportBinary: 'savedmodelLens.exportBinary',
  exportServing: 'savedmodelLens.exportServing',
  showSummary: 'savedmodelLens.showSummary',
  refreshModels: 'savedmodelLens.refreshModels',
  smokeTest: 'savedmodelLens.smokeTest',
  exportSmaller: 'savedmodelLens.exportSmallerServingCopy',
  /** The decoded view of a binary model with every node. */
  showFullText: 'savedmodelLens.showFullText',
  /** Internal: opens a model's text at an element path (tree view items). */
  reveal: 'savedmodelLens.reveal',
} as const;
