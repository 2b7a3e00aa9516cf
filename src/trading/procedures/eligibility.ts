/**
 * 信用 gate (§43 of 内政办发〔2022〕8号): a party under a credit restriction (失信被执行人, 严重违法失信名单,
 * a regulator's ban under 《招标投标法实施条例》第六十七、六十八条 …) may not register for (获取招标文件), bid in, or
 * be awarded a lot within the restricted scope and period. The supervision system's credit module implements
 * it (and records each check as the evidence the file must keep); main.ts hands it to the trading modules.
 */
export type EligibilityStage = 'registration' | 'bid' | 'award';

export interface PartyEligibility {
  /** Why the organisation may not take this step in this lot now, each naming the record; empty: allowed. */
  barredReasons(input: {
    organizationId: string;
    lotId: string;
    stage: EligibilityStage;
    at: Date;
  }): Promise<string[]>;
}

export const ELIGIBILITY_STAGE_NAMES_ZH: Record<EligibilityStage, string> = {
  registration: '获取招标（采购）文件',
  bid: '投标',
  award: '中标（成交）',
};

export const CREDIT_CITATION =
  '《内蒙古自治区公共资源交易管理办法》第四十三条：对失信主体采取限制或禁止参加公共资源交易活动等方式惩戒';
