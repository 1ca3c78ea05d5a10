import { describe, expect, it } from 'vitest';
import { metricNamesIn } from './promql-names.js';

describe('metricNamesIn', () => {
  it('finds the metrics and skips functions, labels, groupings, ranges and numbers', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, bot) (rate(bot_update_duration_seconds_bucket{feature!~"cmd:.*", x="a{b}"}[5m]))) * 60 > 1e3',
      ),
    ).toEqual(['bot_update_duration_seconds_bucket']);
    expect(metricNamesIn('time() - max(backup_last_success_timestamp_seconds) > 26 * 3600')).toEqual([
      'backup_last_success_timestamp_seconds',
    ]);
    expect(metricNamesIn('a_total / on (queue) group_left b or up == 0 and deriv(c[15m:1m]) > 0')).toEqual(['a_total', 'b', 'up', 'c']);
  });
});
