/**
 * The send limiter's one Redis script: GCRA (generic cell rate algorithm) over a token's global
 * schedule, the chat's schedule and the token's pause, decided and reserved in one step so every
 * process sending as the bot shares one schedule. Times are Redis's own clock (TIME) in
 * microseconds: the processes' clocks never disagree about a slot.
 *
 * KEYS: 1 global TAT, 2 chat TAT, 3 pause-until, 4 paid TAT.
 * ARGV: 1 global interval µs, 2 global tolerance µs, 3 chat interval µs, 4 chat tolerance µs,
 *       5 lane ("t" transactional, "b" bulk), 6 how far ahead a bulk send may book (µs),
 *       7 paid ("1": may use paid-broadcast slots), 8 paid interval µs.
 * Returns {granted (1/0), wait µs, paid (1/0)}: a granted send goes out after `wait`; a refused
 * (bulk) one asks again after about `wait`.
 *
 * A transactional send always books the next slot, however far away; a bulk send books only a
 * slot within `ahead`, so bulk takes what transactional leaves and never queues in front of it.
 */
export const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local gI, gTol = tonumber(ARGV[1]), tonumber(ARGV[2])
local cI, cTol = tonumber(ARGV[3]), tonumber(ARGV[4])
local bulk = ARGV[5] == 'b'
local ahead = tonumber(ARGV[6])
local pause = tonumber(redis.call('GET', KEYS[3]) or '0')
local gTat = tonumber(redis.call('GET', KEYS[1]) or '0')
local cTat = tonumber(redis.call('GET', KEYS[2]) or '0')
local gAt = math.max(now, pause, gTat - gTol)
local cAt = math.max(now, cTat - cTol)
local paid = 0
local gKey, gInt, gT = KEYS[1], gI, gTat
if ARGV[7] == '1' and gAt > now + ahead then
  -- Past the free rate: a paid-broadcast slot (0.1 Star) if one is nearer.
  local pI = tonumber(ARGV[8])
  local pTat = tonumber(redis.call('GET', KEYS[4]) or '0')
  local pAt = math.max(now, pause, pTat)
  if pAt < gAt then
    gAt, gKey, gInt, gT, paid = pAt, KEYS[4], pI, pTat, 1
  end
end
local at = math.max(gAt, cAt)
if bulk and at > now + ahead then
  return {0, at - now, 0}
end
local newG = math.max(gT, at) + gInt
local newC = math.max(cTat, at) + cI
redis.call('SET', gKey, string.format('%.0f', newG), 'PX', math.ceil((newG - now) / 1000) + 1000)
redis.call('SET', KEYS[2], string.format('%.0f', newC), 'PX', math.ceil((newC - now) / 1000) + 1000)
return {1, at - now, paid}
`;

/**
 * Sets the token's pause to `now + ARGV[1]` µs unless a later one is already set. KEYS: 1
 * pause-until, which lives exactly as long as the pause (so EXISTS says whether one holds).
 */
export const PAUSE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local untilUs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilUs > current then
  redis.call('SET', KEYS[1], string.format('%.0f', untilUs), 'PX', math.max(1, math.ceil(tonumber(ARGV[1]) / 1000)))
end
return 1
`;
