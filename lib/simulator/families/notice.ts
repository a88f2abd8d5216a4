/**
 * 체결통보 (H0STCNI0 real / H0STCNI9 paper): each subscription reads, from its subscribe on, the
 * notices of the order engine (orders.ts) for the HTS ID it was given (docs/protocol/notices.md).
 * The server encrypts them.
 */
import type { TrTable } from '../../protocol/tr-tables';
import type { MarketModel } from '../market';
import { ordersOf } from '../orders';
import type { Feed, TrFamily } from './family';

/** 체결통보 (H0STCNI0 / H0STCNI9): each subscription reads the engine's notices from its subscribe on. */
export const orderNoticeFamily: TrFamily = {
  open(model: MarketModel, _table: TrTable, key: string): Feed {
    const engine = ordersOf(model);
    const reader = engine.reader(key);
    return {
      pace: 'rate',
      next: (clock) => {
        engine.step(clock);
        return reader.next();
      },
    };
  },
};
