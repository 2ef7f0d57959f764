// Strict field validation (fieldValidation=Strict|Warn|Ignore) against the k8s.io/api v1.32 field table. See README.md.
export {
  unknownFields, strictDecodingErrors, hasSchema, knownFields,
  strictDecodingMessage, strictDecodingErrorText, strictErrorText, warningTexts, goQuote,
  fieldValidationDirective, FIELD_VALIDATION_VALUES, MAX_STRICT_ERRORS,
} from './schema.ts';
export type { StrictError, StrictErrorType, StrictField, FieldValidation } from './schema.ts';
export { TYPES, ROOTS } from './types.ts';
