import { InitialSchema1764040000000 } from './1764040000000-initial-schema';

/** In order. Never edit a migration that has landed: add a new one. */
export const MIGRATIONS = [InitialSchema1764040000000];
