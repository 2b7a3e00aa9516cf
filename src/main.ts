import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allMigrations } from './migrations.ts';
import { LocalBlobStore, registerBlobRoutes } from './platform/blobs/index.ts';
import { createCertsModule, registerCertRoutes } from './platform/certs/index.ts';
import { type Clock, JumpingClock, SystemClock } from './platform/clock/index.ts';
import type { Config } from './platform/config/index.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from './platform/db/index.ts';
import { createHttpServer } from './platform/http/index.ts';
import { createIdentity, registerIdentityRoutes } from './platform/identity/index.ts';
import { JobRunner, registerJobRoutes, registerSandboxClockRoutes } from './platform/jobs/index.ts';
import { createNotifier } from './platform/notify/index.ts';
import { loadFieldSealer } from './platform/sealing/index.ts';
import { registerWitnessRoutes, startWitnessLoop } from './platform/witness/index.ts';
import { registerCatalogRoutes, seedCatalogs } from './service/catalogs/index.ts';
import { flagExpiredQualifications, registerEntityRoutes } from './service/entities/index.ts';
import { registerExpertRoutes } from './service/experts/index.ts';
import { registerInterfaceRoutes } from './service/interfaces/index.ts';
import { registerOpendataJobs, registerOpendataRoutes } from './service/opendata/index.ts';
import { registerRegionRoutes } from './service/regions/index.ts';
import { registerVenueRoutes } from './service/venues/index.ts';
import { registerComplaintJobs, registerComplaintRoutes } from './supervision/complaints/index.ts';
import { createCreditGate, registerCreditRoutes } from './supervision/credit/index.ts';
import { registerDutyRoutes } from './supervision/duties/index.ts';
import {
  createInspectionsDeps,
  registerInspectionJobs,
  registerInspectionRoutes,
} from './supervision/inspections/index.ts';
import {
  registerMonitoringJobs,
  registerMonitoringRoutes,
  seedMonitoringRules,
  startMonitoringLive,
} from './supervision/monitoring/index.ts';
import { registerOversightJobs, registerOversightRoutes } from './supervision/oversight/index.ts';
import { registerRatingJobs, registerRatingRoutes } from './supervision/ratings/index.ts';
import { registerScopeRoutes } from './supervision/scopes/index.ts';
import { registerStatisticsRoutes } from './supervision/statistics/index.ts';
import type { AllTables } from './tables.ts';
import {
  registerAuctionJobs,
  registerAuctionLiveRoutes,
  registerAuctionRoutes,
} from './trading/auctions/index.ts';
import { createAwardsDeps, registerAwardJobs, registerAwardRoutes } from './trading/awards/index.ts';
import {
  createReceiptService,
  getBidSettings,
  registerBidJobs,
  registerBidRoutes,
} from './trading/bids/index.ts';
import { registerContractJobs, registerContractRoutes } from './trading/contracts/index.ts';
import { registerDepositJobs, registerDepositRoutes } from './trading/deposits/index.ts';
import { createDrawsDeps, registerDrawJobs, registerDrawRoutes } from './trading/draws/index.ts';
import {
  createEvaluationDeps,
  registerEvaluationJobs,
  registerEvaluationRoutes,
} from './trading/evaluation/index.ts';
import { registerOpeningJobs, registerOpeningRoutes } from './trading/opening/index.ts';
import { registerProcedureRoutes, suspensionHoldUntil } from './trading/procedures/index.ts';
import { registerProjectRoutes } from './trading/projects/index.ts';
import { registerTenderJobs, registerTenderRoutes } from './trading/tenders/index.ts';
import { VERSION } from './version.ts';

/**
 * The composition root: config → database → migrations → modules → HTTP (DESIGN §2).
 * `buildPlatform` wires everything without listening (tests call it and use `app.inject`);
 * `startPlatform` also listens and starts the background loops.
 */
export const PROJECT_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const DEFAULT_WEB_DIR = path.join(PROJECT_ROOT, 'web', 'dist');

export interface PlatformOptions {
  config: Config;
  /** Platform time (legal deadlines, witness timestamps). */
  clock?: Clock;
  /** Real time for session lifetimes; defaults to an unscaled system clock. */
  sessionClock?: Clock;
  /** An already open database (tests share one per worker); otherwise opened from config. */
  database?: DatabaseHandle<AllTables>;
  logger?: boolean | { stream: NodeJS.WritableStream };
  webDir?: string | null;
}

export async function buildPlatform(opts: PlatformOptions) {
  const { config } = opts;
  // 沙箱: real time that the trading centre can move ahead (GGZY_SANDBOX=on; never in production).
  const sandboxClock = !opts.clock && config.GGZY_SANDBOX === 'on' ? new JumpingClock() : null;
  const clock = opts.clock ?? sandboxClock ?? new SystemClock(config.GGZY_TIME_SCALE);
  const sessionClock = opts.sessionClock ?? (opts.clock ? opts.clock : new SystemClock(1));
  const ownsDatabase = !opts.database;
  const database = opts.database ?? (await openDatabase<AllTables>(config.database));
  try {
    await migrateToLatest(database.db, allMigrations);
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
  const db = database.db;
  // The three catalogs (§8–13) exist on every database, demo or not: written once, witnessed, idempotent.
  await seedCatalogs(db, clock);

  // Seals who has bid or paid a deposit until the opening, under a key kept outside the database.
  const sealer = await loadFieldSealer(config.dataDir, config.GGZY_FIELD_KEY);
  const identity = createIdentity({ db, sessionClock, sessionHours: config.GGZY_SESSION_HOURS });
  // Certificate validity and the 2-minute login challenge are security time: real, never scaled.
  const certs = createCertsModule({
    db,
    clock,
    securityClock: sessionClock,
    openSession: identity.openSession,
    platform: config.GGZY_PUBLIC_URL ?? 'ggzy',
    dataDir: config.dataDir,
  });

  const app = await createHttpServer({
    version: VERSION,
    logLevel: config.LOG_LEVEL,
    logger: opts.logger ?? true,
    bodyLimit: config.GGZY_BODY_LIMIT,
    authenticate: (token) => identity.authenticate(token),
    ping: () => database.ping(),
    serverTime: () => clock.now(),
    timeScale: config.GGZY_TIME_SCALE,
    webDir: opts.webDir === undefined ? DEFAULT_WEB_DIR : opts.webDir,
  });

  registerIdentityRoutes(app, {
    identity,
    db,
    clock,
    loginRateMax: config.GGZY_LOGIN_RATE_MAX,
    secureCookies: config.GGZY_PUBLIC_URL?.startsWith('https://') ?? false,
  });

  registerCertRoutes(app, {
    certs,
    db,
    clock,
    secureCookies: config.GGZY_PUBLIC_URL?.startsWith('https://') ?? false,
    rateMax: config.GGZY_LOGIN_RATE_MAX * 12,
  });
  registerWitnessRoutes(app, { db });
  registerJobRoutes(app, { db, clock });
  const blobs = new LocalBlobStore(path.join(config.dataDir, 'blobs'));
  await registerBlobRoutes(app, { db, blobs, clock, uploadLimit: config.GGZY_UPLOAD_LIMIT });

  // 电子服务系统 service system
  registerRegionRoutes(app);
  registerEntityRoutes(app, { db, clock, registrationRateMax: config.GGZY_REGISTRATION_RATE_MAX });
  registerCatalogRoutes(app, { db, clock });
  registerVenueRoutes(app, { db, clock });
  // 综合评标评审专家库 (§33): public solicitation, self-service, the regulator's decisions.
  registerExpertRoutes(app, {
    db,
    clock,
    sealer,
    applicationRateMax: config.GGZY_REGISTRATION_RATE_MAX,
  });

  // 电子交易系统 trading system
  registerProcedureRoutes(app, { clock });
  registerProjectRoutes(app, { db, clock });
  // 信用 gate (§43): a party barred by a credit restriction or an external list cannot obtain the documents, bid
  // or be awarded within the restricted scope and period; every check is recorded (supervision/credit).
  const creditGate = createCreditGate({ db, clock });
  registerTenderRoutes(app, {
    db,
    clock,
    blobs,
    eligibility: creditGate,
    portalCacheMs: config.GGZY_PORTAL_CACHE_MS,
  });
  // 投标保证金 and 电子保函: banks and guarantors call in with SM2-signed requests.
  registerDepositRoutes(app, {
    db,
    clock,
    sealer,
    // The tender's accepted forms (现金/保函) live in the bid settings.
    acceptedForms: async (_db, lotId) => (await getBidSettings(db, lotId)).depositForms,
  });
  // 不见面开标: the hall's changes fan out to every instance's WebSockets through LISTEN/NOTIFY.
  const notifier = createNotifier(database, app.log);
  const opening = await registerOpeningRoutes(app, { db, clock, sealer, blobs, certs, notifier });

  // 投标文件: sealed bids, resumable upload, signed receipts (docs/bids.md).
  await registerBidRoutes(app, {
    db,
    clock,
    sealer,
    blobs,
    dataDir: config.dataDir,
    trust: certs.trust,
    eligibility: creditGate,
    receipts: createReceiptService(db, clock),
  });

  // 随机抽取评标专家 (§19): verifiable draw, sealed until the evaluation starts (docs/draws.md).
  const draws = createDrawsDeps({ db, clock, sealer, smsGatewayUrl: config.GGZY_SMS_GATEWAY_URL ?? null });
  registerDrawRoutes(app, draws);
  // 评标评审 (§21): plan, committee, independent scoring, aggregation, SM2-signed report (docs/evaluation.md).
  const evaluation = createEvaluationDeps({ db, clock, sealer, blobs, certs });
  registerEvaluationRoutes(app, evaluation);
  // 定标 (§22): publicity, objections, the initiator's decision, the signed notice, 流标/终止 (docs/awards.md).
  const awards = createAwardsDeps({ db, clock, eligibility: creditGate });
  registerAwardRoutes(app, awards);
  // 合同 (§23): drafted from the award, signed by both parties with SM2, refunds and publication.
  const contracts = { db, clock, certs, blobs };
  registerContractRoutes(app, contracts);
  // 拍卖、挂牌、网络竞价 (§10 (三)–(八)): one serialized writer per auction, the bid chain, countdowns as jobs
  // (docs/auctions.md); the live room fans out through LISTEN/NOTIFY (notifier).
  const auctions = { db, clock, sealer, eligibility: creditGate };
  registerAuctionRoutes(app, auctions);
  // 竞价大厅: bids fan out to every instance's sockets; slow sockets are dropped (docs/auctions-live.md).
  const auctionLive = await registerAuctionLiveRoutes(app, {
    ...auctions,
    notifier,
    authenticate: identity.authenticate,
  });

  // 公开数据 (§28): the change feed, OCDS packages and bulk files, push to subscribers (docs/opendata.md).
  const opendata = {
    db,
    clock,
    sealer,
    ocidPrefix: config.GGZY_OCID_PREFIX,
    publicUrl: config.GGZY_PUBLIC_URL ?? null,
  };
  registerOpendataRoutes(app, opendata);

  // 第三方系统接入与统一交易数据汇总端口 (§29, §31): SM2-signed pushes in the data specification (docs/interface-spec.md).
  registerInterfaceRoutes(app, { db, clock });

  // 电子监管系统 supervision system
  // 监管范围 (§5): which 行业 × 地域 each supervisor account oversees; every supervision module checks it.
  registerScopeRoutes(app, { db, clock });
  // 数据汇集和统计分析 (§31): public figures by category, region, method and month (docs/statistics.md).
  registerStatisticsRoutes(app, { db, clock });
  // 质疑·投诉 (§26): 政府采购 质疑 on the process, 投诉 under both laws with their clocks, suspension, decisions
  // published on the portal (docs/complaints.md).
  registerComplaintRoutes(app, { db, clock });
  // 信用管理 (§43): records with legal basis, dated restrictions, 守信/失信 lists, repair, external lists,
  // the recorded eligibility check and configurable scores (docs/credit.md).
  registerCreditRoutes(app, { db, clock });
  // 风险监测预警 (§7, §42): signals over the platform's own records as they land, alerts routed to the
  // supervisors in scope and their witnessed handling; the rules are versioned data (docs/monitoring.md).
  const monitoring = { db, clock, sealer, logger: app.log };
  await seedMonitoringRules(db, clock);
  registerMonitoringRoutes(app, monitoring);

  // 双随机、一公开 (§38): 一单两库, plans and batches, the committed-seed draw anyone can replay, results
  // published on the portal within a configurable deadline (docs/inspections.md).
  const inspections = createInspectionsDeps({ db, clock, sealer });
  registerInspectionRoutes(app, inspections);
  // 实时监督 and 现场管理 (§24, §39, §42): each supervisor's scope of the witness log, live; on-site violations
  // recorded with evidence and reported to the responsible regulator, whose feedback has a deadline (docs/oversight.md).
  registerOversightRoutes(app, { db, clock });
  // 监管权力和责任清单、服务事项清单 (§37): versioned data, maintained by the centre, public on the portal.
  registerDutyRoutes(app, { db, clock });

  // 多方互评 (§40–41, §46): ratings within 5 working days of a lot's end, regulators' performance records,
  // the platform's self and external service evaluation published on the portal (docs/ratings.md).
  const ratings = { db, clock, sealer };
  registerRatingRoutes(app, ratings);

  // One runner per instance; any number of instances share the job table safely (SKIP LOCKED).
  const jobs = new JobRunner({
    db,
    clock,
    ...(opts.clock ? { leaseClock: opts.clock } : {}),
    pollMs: config.GGZY_JOB_POLL_MS,
    logger: app.log,
    // A lot suspended by the regulator (条例第六十二条, 94号令第二十八条): its jobs wait until it resumes.
    holdUntil: (job, now) => suspensionHoldUntil(db, job.payload, now),
  });
  if (sandboxClock) {
    registerSandboxClockRoutes(app, { db, clock: sandboxClock, runDueJobs: () => jobs.runDueJobs() });
  }
  // Qualifications past their validity are flagged (and witnessed) hourly.
  jobs.every('entities.qualification-expiry', 3_600_000, async (ctx) => {
    await flagExpiredQualifications(ctx);
  });
  // Tender deadlines move the lots' timelines; unanswered objections are flagged when overdue.
  registerTenderJobs(jobs);
  // At each bid deadline, uploads not completed count as withdrawn.
  registerBidJobs(jobs, { dataDir: config.dataDir });
  // Deposit refunds past their legal date are flagged late, hourly.
  registerDepositJobs(jobs);
  // The decryption and confirmation windows end on time; opened parts are stored as plaintext.
  registerOpeningJobs(jobs, opening.services);
  // Expert draws: rounds finished after a restart, window ends → 补抽, SMS outbox, reveal at the evaluation.
  registerDrawJobs(jobs, draws);
  // The report's signing window ends: silence counts as agreement, the PDF is archived.
  registerEvaluationJobs(jobs, evaluation);
  // Award deadlines: late publicity/notice/answers flagged, 政府采购's deemed winner after 5 工作日.
  registerAwardJobs(jobs, awards);
  // The 30-day contract limit's reminders and alerts; 政府采购 contract publication limit.
  registerContractJobs(jobs, contracts);
  // Auctions: the bidding start, each phase and countdown end, the deal after the close, overdue reviews.
  registerAuctionJobs(jobs, auctions);
  // The feed follows the witness log; subscribers get what is new, signed, in order.
  registerOpendataJobs(jobs, opendata);
  // Complaint clocks: acceptance, 补正, copies, explanation and decision deadlines flagged when they run out.
  registerComplaintJobs(jobs);
  // Spot checks: committed rounds finished after a restart; unpublished results flagged at their deadline.
  registerInspectionJobs(jobs, inspections);
  // Lots that ended (notice issued, failed, terminated) get their rating windows.
  registerRatingJobs(jobs, ratings);
  // On-site reports still without the regulator's feedback are flagged at their deadline; the witness index is kept warm.
  registerOversightJobs(jobs);
  // Risk monitoring follows the witness log (opening records, evaluations, awards, split flags); reruns on demand.
  registerMonitoringJobs(jobs, monitoring);

  await app.ready();

  return {
    app,
    db,
    database,
    clock,
    identity,
    certs,
    sealer,
    sessionClock,
    jobs,
    blobs,
    notifier,
    openingHub: opening.hub,
    auctionLive,
    monitoring,
    async close() {
      await jobs.stop();
      await notifier.close();
      await app.close();
      if (ownsDatabase) await database.close();
    },
  };
}

export type Platform = Awaited<ReturnType<typeof buildPlatform>>;

export async function startPlatform(
  opts: PlatformOptions & {
    /** Runs after migrations and before the server listens (the demo seed): nobody sees half of it. */
    beforeListen?: (platform: Platform) => Promise<void>;
  },
) {
  const platform = await buildPlatform(opts);
  if (opts.beforeListen) {
    try {
      await opts.beforeListen(platform);
    } catch (error) {
      await platform.close();
      throw error;
    }
  }
  const address = await platform.app.listen({ port: opts.config.PORT, host: opts.config.HOST });
  platform.jobs.start();
  // Orders committed witness events into the Merkle tree and signs checkpoints (one instance at a time).
  const stopWitness = startWitnessLoop(platform.db, platform.clock, {
    logger: platform.app.log,
    checkpointIntervalMs: opts.config.GGZY_CHECKPOINT_SECONDS * 1000,
  });
  // Risk monitoring's fast path: a lot's signals as soon as its opening record commits (the follower catches up).
  const stopMonitoringLive = await startMonitoringLive(platform.monitoring, platform.notifier);
  return {
    ...platform,
    address,
    async stop() {
      await stopMonitoringLive();
      await stopWitness();
      await platform.close();
    },
  };
}
