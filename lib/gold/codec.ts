// Gold state packed into flat columns, so a partial state crosses a thread (or a machine)
// as a few typed arrays instead of a million small objects: structured clone of the
// nested maps costs more than the accumulation that built them.
import type { Micros } from './money.js';
import type { GoldState, SignupAcc, SubAcc } from './state.js';

export interface PackedGold {
  /** User ids; the columns below point into this list. */
  users: string[];
  /** One row per (user, active day). */
  dayUser: Uint32Array;
  day: Float64Array;
  purchases: Float64Array;
  refunds: Float64Array;
  /** Sums that are Numbers; a row whose sum is a BigInt holds 0 here and its sum in `bigMicros`. */
  purchaseMicros: Float64Array;
  refundMicros: Float64Array;
  /** [row, purchase micros, refund micros] of the rare rows with a sum past 2^53. */
  bigMicros: [number, Micros, Micros][];
  /** Earliest signup per user, when there is one. */
  signups: { user: number; signup: SignupAcc }[];
  subs: [string, SubAcc][];
  spend: [string, Micros][];
}

export function packGold(state: GoldState): PackedGold {
  let rows = 0;
  for (const u of state.users.values()) rows += u.days.size;
  const p: PackedGold = {
    users: [], dayUser: new Uint32Array(rows), day: new Float64Array(rows), purchases: new Float64Array(rows),
    refunds: new Float64Array(rows), purchaseMicros: new Float64Array(rows), refundMicros: new Float64Array(rows),
    bigMicros: [], signups: [], subs: [...state.subs], spend: [...state.spend],
  };
  let r = 0;
  for (const [id, u] of state.users) {
    const index = p.users.length;
    p.users.push(id);
    for (const [day, d] of u.days) {
      p.dayUser[r] = index;
      p.day[r] = day;
      p.purchases[r] = d.purchases;
      p.refunds[r] = d.refunds;
      if (typeof d.purchaseMicros === 'bigint' || typeof d.refundMicros === 'bigint') {
        p.bigMicros.push([r, d.purchaseMicros, d.refundMicros]);
      } else {
        p.purchaseMicros[r] = d.purchaseMicros;
        p.refundMicros[r] = d.refundMicros;
      }
      r++;
    }
    if (u.signup !== null) p.signups.push({ user: index, signup: u.signup });
  }
  return p;
}

export function unpackGold(p: PackedGold): GoldState {
  const accs = p.users.map(() => ({ days: new Map(), signup: null as SignupAcc | null }));
  for (let r = 0; r < p.day.length; r++) {
    accs[p.dayUser[r]].days.set(p.day[r], {
      purchases: p.purchases[r], refunds: p.refunds[r], purchaseMicros: p.purchaseMicros[r], refundMicros: p.refundMicros[r],
    });
  }
  for (const [r, purchase, refund] of p.bigMicros) {
    const d = accs[p.dayUser[r]].days.get(p.day[r])!;
    d.purchaseMicros = purchase;
    d.refundMicros = refund;
  }
  for (const { user, signup } of p.signups) accs[user].signup = signup;
  return { users: new Map(p.users.map((id, i) => [id, accs[i]])), subs: new Map(p.subs), spend: new Map(p.spend) };
}

/** The buffers of a packed state, to move rather than copy with postMessage. */
export const packedBuffers = (p: PackedGold): ArrayBuffer[] =>
  [p.dayUser, p.day, p.purchases, p.refunds, p.purchaseMicros, p.refundMicros].map((a) => a.buffer as ArrayBuffer);
