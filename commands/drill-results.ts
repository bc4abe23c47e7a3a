// The drill and operator commands' result types live in lab/drills/results.ts (lab/ produces them
// and imports nothing from commands/); re-exported here so every other import keeps working.
export type * from '../lab/drills/results.js';
