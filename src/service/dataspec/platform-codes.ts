import type { Config } from '../../platform/config/index.ts';
import type { PlatformCodes } from './types.ts';

/** The platform's identifiers in the data specification, from its configuration (GGZY_PLATFORM_CODE …). */
export function platformCodesOf(
  config: Pick<
    Config,
    | 'GGZY_PLATFORM_CODE'
    | 'GGZY_PUB_SERVICE_PLAT_CODE'
    | 'GGZY_TRADE_PLAT'
    | 'GGZY_PUB_SERVICE_PLAT'
    | 'GGZY_TRADE_SYSTEM_NO'
    | 'GGZY_CENTRE_NAME'
  >,
): PlatformCodes {
  return {
    platformCode: config.GGZY_PLATFORM_CODE,
    pubServicePlatCode: config.GGZY_PUB_SERVICE_PLAT_CODE,
    tradePlat: config.GGZY_TRADE_PLAT,
    pubServicePlat: config.GGZY_PUB_SERVICE_PLAT,
    tradeSystemNo: config.GGZY_TRADE_SYSTEM_NO,
    centreName: config.GGZY_CENTRE_NAME,
  };
}
