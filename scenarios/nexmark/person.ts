/**
 * Nexmark's people, after `PersonGenerator.java` (nexmark/nexmark, Flink; the same in
 * Beam): a person's id is the count of person slots up to its event id; its name is a first
 * and a last name from short lists, its city and state from short US lists (kept small "so
 * the example queries will find results"), an email of random letters, a credit card of
 * four 4-digit groups, and `extra` padding to the average person size. A person picked by an
 * auction or a bid is one of the `numActivePeople` most recent, or up to 10 ids ahead
 * (`PERSON_ID_LEAD`: a person may be referenced just before it is created).
 */
import { FIRST_PERSON_ID, type ResolvedNexmarkConfig } from './generator-config.js';
import type { EventRandom } from './event-random.js';
import type { Person } from './model.js';
import { nextExtra, nextString } from './strings.js';

/** Ids ahead of the last person an auction or bid may name (`PERSON_ID_LEAD`). */
export const PERSON_ID_LEAD = 10;
/** Nexmark's US states, cities, first and last names. */
export const US_STATES: readonly string[] = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
export const US_CITIES: readonly string[] = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'];
export const FIRST_NAMES: readonly string[] = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'];
export const LAST_NAMES: readonly string[] = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];

const CARD_GROUPS = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/** The last person id (base 0) at event `eventId`; the current one if the event is a person. */
export function lastBase0PersonId(config: ResolvedNexmarkConfig, eventId: number): number {
  const epoch = Math.floor(eventId / config.totalProportion);
  let offset = eventId % config.totalProportion;
  if (offset >= config.personProportion) offset = config.personProportion - 1;
  return epoch * config.personProportion + offset;
}

/** A random active person id (base 0), possibly up to {@link PERSON_ID_LEAD} ahead of the last. */
export function nextBase0PersonId(config: ResolvedNexmarkConfig, eventId: number, random: EventRandom): number {
  const people = lastBase0PersonId(config, eventId) + 1;
  const active = Math.min(people, config.numActivePeople);
  return people - active + random.nextLong(active + PERSON_ID_LEAD);
}

/** The person of event `eventId` (its draws from `random`, already seeded for the event). */
export function nextPerson(config: ResolvedNexmarkConfig, eventId: number, random: EventRandom, pool: string, dateTimeUs: number): Person {
  const id = lastBase0PersonId(config, eventId) + FIRST_PERSON_ID;
  const name = `${FIRST_NAMES[random.nextInt(FIRST_NAMES.length)]} ${LAST_NAMES[random.nextInt(LAST_NAMES.length)]}`;
  const email = `${nextString(random, 7)}@${nextString(random, 5)}.com`;
  const creditCard = `${CARD_GROUPS[random.nextInt(10_000)]} ${CARD_GROUPS[random.nextInt(10_000)]} ${CARD_GROUPS[random.nextInt(10_000)]} ${CARD_GROUPS[random.nextInt(10_000)]}`;
  const city = US_CITIES[random.nextInt(US_CITIES.length)];
  const state = US_STATES[random.nextInt(US_STATES.length)];
  const currentSize = 8 + name.length + email.length + creditCard.length + city.length + state.length;
  const extra = nextExtra(random, pool, currentSize, config.avgPersonByteSize);
  return { kind: 'person', id, name, email, creditCard, city, state, dateTimeUs, extra };
}
