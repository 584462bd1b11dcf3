// The tool's name and version as reports (JSON, SARIF) state them: from package.json, so a release
// needs no second place to bump.
import pkg from '../../../package.json';

export const TOOL_NAME = 'savedmodel-lens';
export const TOOL_VERSION: string = pkg.version;
