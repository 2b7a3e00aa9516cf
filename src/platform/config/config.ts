import path from 'node:path';
import { z } from 'zod';

/**
 * All configuration comes from environment variables, validated here once. A wrong value stops start-up
 * with a message naming the variable and what it expected.
 */
const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, '应为 postgres://user@host:port/database 形式的连接串')
    .optional(),
  GGZY_DATA_DIR: z.string().min(1).default('./data'),
  PORT: intFrom(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  GGZY_TIME_SCALE: z.coerce.number().positive().max(100000).default(1),
  /** 沙箱 (training/acceptance only): the trading centre may move platform time ahead (沙箱时钟). */
  GGZY_SANDBOX: z.enum(['on', 'off']).default('off'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest JSON body, bytes. */
  GGZY_BODY_LIMIT: intFrom(1024, 64 * 1024 * 1024).default(1024 * 1024),
  /** Largest uploaded file, bytes. */
  GGZY_UPLOAD_LIMIT: intFrom(1024, 64 * 1024 * 1024 * 1024).default(512 * 1024 * 1024),
  GGZY_SESSION_HOURS: intFrom(1, 24 * 30).default(12),
  GGZY_LOGIN_RATE_MAX: intFrom(1, 100000).default(10),
  GGZY_REGISTRATION_RATE_MAX: intFrom(1, 100000).default(20),
  /** Seconds between witness checkpoints (0 turns the periodic checkpoint off). */
  GGZY_CHECKPOINT_SECONDS: intFrom(0, 86400).default(60),
  GGZY_JOB_POLL_MS: intFrom(10, 60000).default(500),
  /** Milliseconds an instance reuses a public announcement list page (0: never). */
  GGZY_PORTAL_CACHE_MS: intFrom(0, 60000).default(1000),
  GGZY_PUBLIC_URL: z.string().url().optional(),
  /** OCDS ocid prefix (开放合同数据标准): `ocds-` and the 6 characters registered with the OCP. */
  GGZY_OCID_PREFIX: z
    .string()
    .regex(/^ocds-[a-z0-9]{6}$/, '应为 ocds- 加 6 位小写字母或数字，如 ocds-ggzy15')
    .default('ocds-ggzy15'),
  /** Where expert-draw SMS/voice notices are POSTed as JSON (unset: notices are marked 未配置短信网关). */
  GGZY_SMS_GATEWAY_URL: z.string().url().optional(),
  /** 64 hex digits: the key that seals fields the database must not reveal (default: <data>/keys/field.key). */
  GGZY_FIELD_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '应为 64 位十六进制数字 (64 hex digits)')
    .optional(),
  // 数据规范 platform identifiers (交易平台标识码 etc.) written on every exchanged record. The defaults are the
  // regional centre's test identifiers; production sets the codes assigned by the public service platform.
  /** 交易系统标识码 PLATFORM_CODE, 18 characters. */
  GGZY_PLATFORM_CODE: z
    .string()
    .regex(/^[0-9A-Z]{18}$/, '应为 18 位数字或大写字母')
    .default('P15000000100000001'),
  /** 交易服务系统标识码 PUB_SERVICE_PLAT_CODE, 18 characters. */
  GGZY_PUB_SERVICE_PLAT_CODE: z
    .string()
    .regex(/^[0-9A-Z]{18}$/, '应为 18 位数字或大写字母')
    .default('G15000000100000001'),
  /** 交易平台或发布工具标识码 TRADE_PLAT, 11 characters (the 平台目录 code). */
  GGZY_TRADE_PLAT: z
    .string()
    .regex(/^[0-9A-Z]{11}$/, '应为 11 位数字或大写字母')
    .default('P1500000001'),
  /** 公共服务平台标识码 PUB_SERVICE_PLAT, 11 characters. */
  GGZY_PUB_SERVICE_PLAT: z
    .string()
    .regex(/^[0-9A-Z]{11}$/, '应为 11 位数字或大写字母')
    .default('G1500000001'),
  /** 交易系统编号 TRADE_SYSTEM_NO, 12 characters. */
  GGZY_TRADE_SYSTEM_NO: z
    .string()
    .regex(/^[0-9A-Z]{12}$/, '应为 12 位数字或大写字母')
    .default('T15000000001'),
  /** 交易中心名称 TRAD_CENTER_NAME. */
  GGZY_CENTRE_NAME: z.string().min(1).max(200).default('内蒙古自治区公共资源交易中心'),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends RawConfig {
  /** Absolute data directory (PGlite database, blobs, platform keys). */
  dataDir: string;
  database: { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误 (configuration error):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const expectations: Record<string, string> = {
  PORT: '0–65535 的整数端口号 (an integer port 0–65535)',
  GGZY_TIME_SCALE: '正数时间倍率，如 1 或 1440 (a positive number)',
  LOG_LEVEL: 'fatal|error|warn|info|debug|trace|silent',
  GGZY_SANDBOX: 'on 或 off (on: 沙箱环境，交易中心可推进平台时间)',
  GGZY_PLATFORM_CODE: '18 位数字或大写字母的交易系统标识码 (18 characters 0-9A-Z)',
  GGZY_PUB_SERVICE_PLAT_CODE: '18 位数字或大写字母的交易服务系统标识码 (18 characters 0-9A-Z)',
  GGZY_TRADE_PLAT: '11 位数字或大写字母的交易平台标识码 (11 characters 0-9A-Z)',
  GGZY_PUB_SERVICE_PLAT: '11 位数字或大写字母的公共服务平台标识码 (11 characters 0-9A-Z)',
  GGZY_TRADE_SYSTEM_NO: '12 位数字或大写字母的交易系统编号 (12 characters 0-9A-Z)',
  GGZY_CENTRE_NAME: '1–200 个字符的交易中心名称',
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const parsed = configSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '?');
        const expected = expectations[name] ?? issue.message;
        return `${name}=${JSON.stringify(relevant[name] ?? '')} 无效，应为：${expected}`;
      }),
    );
  }
  const raw = parsed.data;
  const dataDir = path.resolve(cwd, raw.GGZY_DATA_DIR);
  return {
    ...raw,
    dataDir,
    database: raw.DATABASE_URL
      ? { kind: 'postgres', url: raw.DATABASE_URL }
      : { kind: 'pglite', dir: path.join(dataDir, 'pglite') },
  };
}
