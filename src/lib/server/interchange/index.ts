/** The CSV interchange of import-format.md and the KPI rows as CSV/JSON (kpi.md). */
export { importStationFiles, type ImportFiles, type ImportSummary } from './import';
export type { ImportProgress } from './progress';
export { exportStationFiles } from './export';
export { FolderError, readImportFolder, readImportSource, writeExportFolder } from './folder';
export { INTERCHANGE_FILE_NAMES } from './format';
export { scorecardToCsv, scorecardToJson } from './scorecard-output';
export { MAX_LISTED_PROBLEMS, renderProblem, renderProblemReport } from './problems';
export { terminalLocale } from './terminal-locale.js';
export { IMPORT_LIMITS } from './table';
