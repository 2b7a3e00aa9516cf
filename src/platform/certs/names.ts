import { createHash } from 'node:crypto';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';

/** One attribute of a distinguished name (DN, 主题/颁发者), e.g. { shortName: 'CN', value: '赵刚' }. */
export interface NameAttribute {
  oid: string;
  /** OpenSSL's short name where there is one, else the dotted OID. */
  shortName: string;
  value: string;
}

export interface DistinguishedName {
  /** Relative distinguished names in certificate order, each one or more attributes. */
  rdns: NameAttribute[][];
  /** "C=CN, O=内蒙古…, CN=赵刚" — certificate order, as `openssl x509 -nameopt utf8` lists them. */
  text: string;
  /**
   * A comparison key: RFC 5280 §7.1 name matching, simplified as RFC 4518 does for the common case —
   * Unicode NFKC, case folded, insignificant spaces removed — then SHA-256 over the result.
   */
  key: string;
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

const OIDS_BY_SHORT_NAME = Object.fromEntries(Object.entries(SHORT_NAMES).map(([oid, name]) => [name, oid]));

export const NAME_OID = {
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  organizationIdentifier: '2.5.4.97',
} as const;

function valueText(value: AttributeValue): string {
  if (value.anyValue) return `#${Buffer.from(value.anyValue).toString('hex')}`;
  return value.toString();
}

export function readName(name: Name): DistinguishedName {
  const rdns = name.map((rdn) =>
    rdn.map((atv) => ({
      oid: atv.type,
      shortName: SHORT_NAMES[atv.type] ?? atv.type,
      value: valueText(atv.value),
    })),
  );
  return { rdns, text: formatName(rdns), key: nameKey(rdns) };
}

export function formatName(rdns: NameAttribute[][]): string {
  const escapeValue = (v: string) => v.replace(/([,+\\])/g, '\\$1');
  return rdns.map((rdn) => rdn.map((a) => `${a.shortName}=${escapeValue(a.value)}`).join(' + ')).join(', ');
}

function nameKey(rdns: NameAttribute[][]): string {
  const canonical = rdns
    .map((rdn) =>
      rdn
        .map((a) => `${a.oid}=${a.value.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ')}`)
        .sort()
        .join('+'),
    )
    .join('/');
  return createHash('sha256').update(canonical).digest('hex');
}

/** Every value of an attribute type, in certificate order. */
export function attributeValues(name: DistinguishedName, oid: string): string[] {
  return name.rdns.flatMap((rdn) => rdn.filter((a) => a.oid === oid).map((a) => a.value));
}

/**
 * Builds a Name from [type, value] pairs in order, one attribute per RDN. Country and serialNumber are
 * PrintableString as RFC 5280 Appendix A requires; everything else UTF8String (RFC 5280 §4.1.2.6), which
 * carries Chinese names.
 */
export function buildName(attributes: readonly (readonly [string, string])[]): Name {
  return new Name(
    attributes.map(([type, value]) => {
      const oid = OIDS_BY_SHORT_NAME[type] ?? type;
      const printable = oid === NAME_OID.country || oid === NAME_OID.serialNumber;
      return new RelativeDistinguishedName([
        new AttributeTypeAndValue({
          type: oid,
          value: new AttributeValue(printable ? { printableString: value } : { utf8String: value }),
        }),
      ]);
    }),
  );
}
