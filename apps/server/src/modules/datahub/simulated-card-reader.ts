import type { Kysely } from 'kysely';
import type { Database } from '../../database';

export interface CardRead {
  idNumber: string;
  name: string;
}

/**
 * An ID card reader the server trusts: what it reads goes into a card read (`CardReadService`),
 * and the browser gets a token and the masked number, never the number itself.
 */
export interface CardReader {
  /** Names the reader in the record of each read. */
  readonly name: string;
  /** The card on the reader of `readerKey` (the demo keys its rota by account), or null. */
  read(readerKey: string): Promise<CardRead | null>;
}

/**
 * The demo's stand-in for the ID card reader at a window: each read returns the next card of a
 * small rota of people in the population library — the given demo people first, then one
 * deceased, one on minimum income and one with a disability certificate, so every kind of answer
 * can be seen. Each account walks the rota on its own. Only wired when the demo is seeded; a real
 * window reads the card in the browser through the reader's driver.
 */
export class SimulatedCardReader implements CardReader {
  readonly name = 'simulated';
  private rota: CardRead[] | null = null;
  private readonly next = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly first: string[],
  ) {}

  private async load(): Promise<CardRead[]> {
    const pick = (q: (qb: ReturnType<typeof this.persons>) => ReturnType<typeof this.persons>) =>
      q(this.persons()).orderBy('id_number').limit(1).executeTakeFirst();
    const people = [
      ...(this.first.length ? await this.persons().where('id_number', 'in', this.first).execute() : []),
      await pick((q) => q.where('death_date', 'is not', null)),
      await pick((q) => q.where('minimum_income_since', 'is not', null).where('death_date', 'is', null)),
      await pick((q) => q.where('disability_level', 'is not', null).where('death_date', 'is', null)),
    ];
    return people.filter((p): p is CardRead => Boolean(p));
  }

  private persons() {
    return this.db.selectFrom('dh_persons').select(['id_number as idNumber', 'name']);
  }

  async read(reader: string): Promise<CardRead | null> {
    if (!this.rota?.length) this.rota = await this.load();
    if (this.rota.length === 0) return null;
    const i = this.next.get(reader) ?? 0;
    this.next.set(reader, (i + 1) % this.rota.length);
    return this.rota[i % this.rota.length];
  }
}
