import { describe, expect, it } from 'vitest';
import { AnswerFloor, SMALL_BATCH } from './answer-floor.ts';

describe('AnswerFloor', () => {
  it('holds nothing before the first small batch, then holds each small batch up to the slowest seen so far', () => {
    const floor = new AnswerFloor();
    expect(floor.floorMs).toBe(0);
    expect(floor.hold(1, 5)).toBe(0);
    expect(floor.floorMs).toBe(5);
    expect(floor.hold(1, 4.2)).toBeCloseTo(0.8);
    expect(floor.hold(2, 7)).toBe(0);
    expect(floor.hold(1, 3)).toBe(4);
  });

  it('once it has enough samples, takes the 99th percentile: a rare slow commit does not hold every answer', () => {
    const floor = new AnswerFloor();
    for (let i = 0; i < 127; i++) floor.hold(1, 5);
    floor.hold(1, 60);
    // 128 samples: the floor is the second slowest, not the one 60 ms stall.
    expect(floor.floorMs).toBe(5);
    expect(floor.hold(1, 4)).toBe(1);
  });

  it('forgets old batches: the floor follows the last 128', () => {
    const floor = new AnswerFloor();
    for (let i = 0; i < 128; i++) floor.hold(1, 20);
    expect(floor.floorMs).toBe(20);
    for (let i = 0; i < 128; i++) floor.hold(1, 3);
    expect(floor.floorMs).toBe(3);
  });

  it('never holds a large batch (it mixes many signers already) nor counts it, and never holds longer than 100 ms', () => {
    const floor = new AnswerFloor();
    floor.hold(1, 5);
    expect(floor.hold(SMALL_BATCH + 1, 1)).toBe(0);
    expect(floor.floorMs).toBe(5);
    expect(floor.hold(SMALL_BATCH, 1)).toBe(4);
    const stalled = new AnswerFloor();
    stalled.hold(1, 5_000);
    expect(stalled.floorMs).toBe(100);
  });
});
