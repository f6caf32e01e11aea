import { describe, expect, test } from 'vitest';
import { earlierScenarios } from '../../../scripts/reliability-earlier.ts';

const PAGE = [
  '# Reliability under faults', '',
  '| scenario | load | result |', '| --- | --- | --- |',
  '| 1. Service SIGKILL | 50 waiting | held |',
  '| 9. Bad input over SIP | junk | **failed** |', '',
  '## 1. Service SIGKILL', '', 'Measured 2026-12-06.', '- a note', '',
  '## 9. Bad input over SIP', '', 'Measured 2026-12-05.', '',
  '## Not a scenario', 'ignored',
].join('\n');

describe('figures kept from the page for scenarios not measured now', () => {
  test('row and section word for word, only for those not measured now', () => {
    expect(earlierScenarios(PAGE, new Set(['9. Bad input over SIP']))).toEqual([
      { scenario: '1. Service SIGKILL', row: '| 1. Service SIGKILL | 50 waiting | held |', section: ['## 1. Service SIGKILL', '', 'Measured 2026-12-06.', '- a note', ''] },
    ]);
  });
  test('a section ends at the next heading, scenario or not', () => {
    const nine = earlierScenarios(PAGE, new Set()).find((e) => e.scenario.startsWith('9.'));
    expect(nine?.section).toEqual(['## 9. Bad input over SIP', '', 'Measured 2026-12-05.', '']);
  });
  test('an empty page keeps nothing', () => expect(earlierScenarios('', new Set())).toEqual([]));
});
