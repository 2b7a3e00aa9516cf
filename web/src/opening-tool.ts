/**
 * 开标解密与确认（浏览器版）— what `ggzy opening decrypt` and `ggzy opening confirm` do, in the page: the
 * bidder picks its encryption private key file, the page unwraps each part's content key (SM2) and sends
 * only the content keys; to confirm the opening record it signs the record's SM3 with the signing key file.
 * The private keys stay in this page's memory and are never sent.
 */
import { api } from './api.ts';
import { privateKeyFromPem, recipientKeyId, signText, sm2Spki, unwrapKey } from './gm/keys.ts';
import { toBase64Url } from './gm/sm3.ts';

export interface OwnBidForDecryption {
  bidId: string;
  lotId: string;
  status: string;
  parts: {
    no: number;
    kind: string;
    name: string;
    status: string;
    recipients: { keyId: string; encryptedKey: string }[];
  }[];
}

const base = (lotId: string) => `/api/lots/${encodeURIComponent(lotId)}/opening`;

/** Unwraps the content keys of this organisation's bid with `encKeyPem`; the keys to post, by part. */
export function unwrapPartKeys(bid: OwnBidForDecryption, encKeyPem: string): { no: number; key: string }[] {
  const key = privateKeyFromPem(encKeyPem);
  const keyId = recipientKeyId(sm2Spki(key.publicKeyHex));
  return bid.parts
    .filter((p) => !p.status.includes('decrypted'))
    .map((part) => {
      const recipient = part.recipients.find((r) => r.keyId === keyId);
      if (!recipient)
        throw new Error(`所选私钥不是本投标文件“${part.name}”的加密证书私钥（请选择 enc.key.pem）`);
      const contentKey = unwrapKey(key, recipient.encryptedKey);
      try {
        return { no: part.no, key: toBase64Url(contentKey) };
      } finally {
        contentKey.fill(0);
      }
    });
}

/** 在浏览器中解密: fetches the own bid's envelopes, unwraps the keys locally, posts the content keys. */
export async function decryptInBrowser(lotId: string, encKeyPem: string): Promise<number> {
  const bid = await api.get<OwnBidForDecryption>(`${base(lotId)}/my-bid`);
  const keys = unwrapPartKeys(bid, encKeyPem);
  if (keys.length === 0) return 0;
  await api.post(`${base(lotId)}/bids/${encodeURIComponent(bid.bidId)}/keys`, { keys });
  return keys.length;
}

/** The text a bidder signs to confirm the record (src/trading/opening/record.ts `confirmationMessage`). */
export function confirmationText(lotId: string, recordSm3: string): string {
  return `ggzy-opening-confirm/v1\n${lotId}\n${recordSm3}`;
}

/** 签名确认开标记录 with the signing key file. */
export async function confirmWithKey(lotId: string, recordSm3: string, signKeyPem: string): Promise<void> {
  const signature = signText(privateKeyFromPem(signKeyPem), confirmationText(lotId, recordSm3));
  await api.post(`${base(lotId)}/confirmations`, { signature });
}
