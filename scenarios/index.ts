import { burst } from './burst.js';
import { fault } from './fault.js';
import { heavy } from './heavy.js';
import { heavy2x } from './heavy-2x.js';
import { priority } from './priority.js';
import type { Scenario } from './scenario.js';
import { slowSink } from './slow-sink.js';
import { steady } from './steady.js';
import { windowed } from './windowed.js';

export type { Scenario };

/** The built-in scenarios by name. */
export const scenarios: ReadonlyMap<string, Scenario> = new Map([steady, windowed, heavy, heavy2x, burst, priority, slowSink, fault].map((s) => [s.name, s]));
