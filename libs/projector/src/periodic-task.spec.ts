import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('skips a tick while the previous run is still in flight, and stop waits for it', async () => {
    let runs = 0;
    let finish: () => void = () => undefined;
    const task = new PeriodicTask(100, () => {
      runs += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    task.start();
    await jest.advanceTimersByTimeAsync(350);
    expect(runs).toBe(1);

    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    expect(task.running).toBe(false);
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    await jest.advanceTimersByTimeAsync(500);
    expect(runs).toBe(1);
  });

  it('runs again on the next tick once a run finished', async () => {
    let runs = 0;
    const task = new PeriodicTask(100, async () => void (runs += 1));
    task.start();
    await jest.advanceTimersByTimeAsync(350);
    expect(runs).toBe(3);
    await task.stop();
  });
});
