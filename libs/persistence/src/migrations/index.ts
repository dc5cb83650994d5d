import { InitialSchema1764040000000 } from './1764040000000-initial-schema';
import { DetentionErasure1764050000000 } from './1764050000000-detention-erasure';
import { SealedPersonalData1764060000000 } from './1764060000000-sealed-personal-data';

/** In order. Never edit a migration that has landed: add a new one. */
export const MIGRATIONS = [
  InitialSchema1764040000000,
  DetentionErasure1764050000000,
  SealedPersonalData1764060000000,
];
