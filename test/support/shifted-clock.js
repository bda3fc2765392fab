// Preloaded (`node -r`) into a child process to move its wall clock by CLOCK_SHIFT_MS: a test
// of something that must not depend on the time it runs at (the replay build) runs it "later".
const shift = Number(process.env.CLOCK_SHIFT_MS || 0);
const RealDate = Date;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + shift);
    else super(...args);
  }
  static now() {
    return RealDate.now() + shift;
  }
}
globalThis.Date = ShiftedDate;
