import { isValidBsn } from './bsn';

describe('isValidBsn (elfproef)', () => {
  it.each(['999990019', '999993653', '111222333'])('accepts %s', (bsn) => expect(isValidBsn(bsn)).toBe(true));
  it.each(['999990018', '12345678', '1234567890', 'abcdefghi', '000000000', 999990019])('rejects %s', (bsn) =>
    expect(isValidBsn(bsn)).toBe(false),
  );
});
