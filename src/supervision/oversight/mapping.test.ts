import { describe, expect, test } from 'vitest';
import { resolveSubject, type SubjectLookup } from './mapping.ts';
import { feedbackDueAt } from './rules.ts';

const LOT = '0f59182f-ba9f-4d67-bec1-b38581b93d12';
const PROJECT = '7a3e1c55-2b1d-4f7e-9a51-0c7d2b9e4f10';
const DRAW = '9d901edf-5704-421f-aeb5-7a9cf937bb9a';

/** A lookup that knows one project with one lot and one draw already tied to that lot. */
function lookup(): SubjectLookup {
  return {
    projectOfLot: async (id) => (id === LOT ? PROJECT : null),
    projectExists: async (id) => id === PROJECT,
    linkOf: async (type, id) =>
      type === 'expert-draw' && id === DRAW ? { projectId: PROJECT, lotId: LOT } : null,
    linkOfAnyId: async (ids) => (ids.includes(DRAW) ? { projectId: PROJECT, lotId: LOT } : null),
  };
}

const event = (entityType: string, entityId: string, payload: unknown = {}) => ({
  entityType,
  entityId,
  payload: JSON.stringify(payload),
});

describe('which project a witness event concerns', () => {
  test('a project event, a lot-keyed event and a payload lotId each find the lot', async () => {
    expect(await resolveSubject(event('project', PROJECT), lookup())).toEqual({
      projectId: PROJECT,
      lotId: null,
      mappedBy: 'project-entity',
    });
    expect(await resolveSubject(event('opening', LOT), lookup())).toMatchObject({
      lotId: LOT,
      mappedBy: 'lot-entity',
    });
    expect(
      await resolveSubject(event('announcement', 'a1b2c3d4-0000', { kind: 'tender', lotId: LOT }), lookup()),
    ).toMatchObject({ lotId: LOT, mappedBy: 'payload-lot' });
  });

  test('a later event of a record, or one naming it, follows the record to its lot', async () => {
    expect(await resolveSubject(event('expert-draw', DRAW, { round: 1 }), lookup())).toMatchObject({
      lotId: LOT,
      mappedBy: 'entity-link',
    });
    expect(
      await resolveSubject(event('expert-assignment', 'f00dfeed-1111', { drawId: DRAW, round: 1 }), lookup()),
    ).toMatchObject({ lotId: LOT, mappedBy: 'payload-reference' });
  });

  test('platform records and records sealed before the opening concern no lot', async () => {
    expect(await resolveSubject(event('account', LOT), lookup())).toBeNull();
    // A bid names no lot in the log; the index does not guess one, even through a reference.
    expect(await resolveSubject(event('bid', 'b1d0b1d0-2222', { drawId: DRAW }), lookup())).toBeNull();
    expect(
      await resolveSubject(event('tender-download', 'd0d0d0d0-3333', { commitment: 'x' }), lookup()),
    ).toBeNull();
    // Not even when the payload names the lot (a credit check of a registering party).
    expect(
      await resolveSubject(event('credit-check', 'c0c0c0c0-5555', { lotId: LOT, stage: 'bid' }), lookup()),
    ).toBeNull();
    // An unknown lot id leads nowhere.
    expect(await resolveSubject(event('opening', 'ffffffff-4444'), lookup())).toBeNull();
  });
});

describe('the feedback deadline', () => {
  test('10 working days after a Monday report end on the second Monday after, 24:00 Beijing time', () => {
    // 2026-03-02 is a Monday; the report's day is not counted (87号令第八十五条).
    expect(feedbackDueAt(new Date('2026-03-02T01:00:00Z'), 10).toISOString()).toBe(
      '2026-03-16T15:59:59.999Z',
    );
    // Reported on a Friday evening: the weekend does not count.
    expect(feedbackDueAt(new Date('2026-03-06T11:00:00Z'), 1).toISOString()).toBe('2026-03-09T15:59:59.999Z');
  });
});
