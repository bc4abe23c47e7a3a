// The Service commands' result types live in lab/services/results.ts (lab/ produces them and
// imports nothing from commands/); re-exported here so every other import keeps working.
export type * from '../lab/services/results.js';
