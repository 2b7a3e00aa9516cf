export {
  exportSm2PrivateKeyPem,
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  importSm2PrivateKeyPem,
  importSm2PublicKeyPem,
  SM2_DEFAULT_USER_ID,
  Sm2KeyError,
  type Sm2Options,
  type Sm2PrivateKey,
  type Sm2PublicKey,
  sm2PublicKeyDer,
  sm2Sign,
  sm2Verify,
} from './sm2.ts';
export { sm3, sm3Hex } from './sm3.ts';
