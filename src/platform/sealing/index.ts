export { createFieldSealer, type FieldSealer, loadFieldSealer, sealedOrigin } from './sealing.ts';
