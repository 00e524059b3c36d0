export { Serde, type RegisteredSchema, type SerdeOptions } from './serde.js';
export {
  RecordDecoder,
  UnknownRecordTypeError,
  type DecodedRecord,
  type WriterSchemas,
} from './recordDecoder.js';
export {
  SchemaCatalog,
  SchemaCatalogError,
  subjectName,
  type CatalogSubject,
  type RecordType,
  type SchemaFile,
  type SchemaVersion,
} from './schemaCatalog.js';
export { loadSchemaCatalog, readSchemaFiles, RUNTIME_SCHEMAS_DIR } from './loadSchemaCatalog.js';
export { Upcasters, type Upcaster, type UpcasterEntry, type RecordValue } from './upcasters.js';
export { encodeWire, decodeWire, WireFormatError, MAGIC_BYTE } from './wireFormat.js';
