/** One rule an input breaks, located by a JSON path into it (`$.data.person.bsn`). Never a value. */
export interface Violation {
  path: string;
  message: string;
}
