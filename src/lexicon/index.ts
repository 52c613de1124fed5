export { normalizeTerm, foldCircumflex, termKeys } from './normalize.js';
export { InputError, WarningLog, type InputWarning, type WarningKind } from './diagnostics.js';
export { readLines, readLineBatches, assertReadableFile, DEFAULT_MAX_LINE_BYTES, type Line } from './lines.js';
export { readTermList, readTermBatches, detectFormat, MAX_TERM_LENGTH, type TermRecord, type TermListFormat } from './termlist.js';
export { readKenet, loadKenet, kenetTermRecords, isPlaceholderLiteral, type KenetSynset, type KenetLiteral, type KenetRelation } from './kenet.js';
export { Lemmatizer, lemmaTablePath } from './lemmatize.js';
export { kenetPath, corpusPath, dictionaryEditionPath, DICTIONARY_EDITIONS, packageDir, installedVersion } from './resources.js';
