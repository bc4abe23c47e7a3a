// The fabric commands' result types live in lab/results.ts (lab/ produces them and imports nothing
// from commands/); re-exported here so commands and surfaces keep importing them from here.
export type * from '../lab/results.js';
