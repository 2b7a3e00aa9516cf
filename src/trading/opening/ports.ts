import type { Clock } from '../../platform/clock/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import type { OpeningPorts } from './context.ts';
import {
  combineOpeningKeyShares,
  getBidSettings,
  listOpeningKeyShares,
  revealBidsForOpening,
  scheduleDepositRefunds,
} from './deps.ts';

/** The bids and deposits functions the opening uses (contracts.md), bound to this platform's sealer and clock. */
export function createOpeningPorts(sealer: FieldSealer, clock: Clock): OpeningPorts {
  return {
    revealBids: (db, lotId) => revealBidsForOpening(db, sealer, clock, lotId),
    bidSettings: (db, lotId) => getBidSettings(db, lotId),
    openingKeyShares: (db, lotId) => listOpeningKeyShares(db, lotId),
    combineShares: (db, lotId, shares) => combineOpeningKeyShares(db, lotId, shares),
    scheduleRefunds: (tx, at, origin, input) => scheduleDepositRefunds(tx, at, origin, input),
  };
}
