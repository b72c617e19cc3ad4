import { describe, expect, it } from 'vitest';
import { AREA_CODES, areaCodeInfo, STATE_TIME_ZONES, stateCode } from './area-codes';

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

describe('area codes', () => {
  it.each([
    // Single-zone states
    ['212', 'NY', 'America/New_York'],
    ['512', 'TX', 'America/Chicago'],
    ['303', 'CO', 'America/Denver'],
    ['602', 'AZ', 'America/Phoenix'],
    ['415', 'CA', 'America/Los_Angeles'],
    ['907', 'AK', 'America/Anchorage'],
    ['808', 'HI', 'Pacific/Honolulu'],
    ['787', 'PR', 'America/Puerto_Rico'],
    ['202', 'DC', 'America/New_York'],
    // Area codes whose zone differs from their state's predominant one
    ['915', 'TX', 'America/Denver'], // El Paso
    ['850', 'FL', 'America/Chicago'], // panhandle
    ['448', 'FL', 'America/Chicago'], // 850 overlay
    ['305', 'FL', 'America/New_York'],
    ['219', 'IN', 'America/Chicago'], // Gary
    ['317', 'IN', 'America/Indiana/Indianapolis'],
    ['270', 'KY', 'America/Chicago'],
    ['502', 'KY', 'America/New_York'], // Louisville
    ['423', 'TN', 'America/New_York'], // Chattanooga
    ['865', 'TN', 'America/New_York'], // Knoxville
    ['615', 'TN', 'America/Chicago'], // Nashville
    // Area codes that span two zones (the comment in the table says which was chosen)
    ['208', 'ID', 'America/Boise'],
    ['986', 'ID', 'America/Boise'],
    ['906', 'MI', 'America/Detroit'],
    ['541', 'OR', 'America/Los_Angeles'],
    ['605', 'SD', 'America/Chicago'],
    ['701', 'ND', 'America/Chicago'],
    ['308', 'NE', 'America/Chicago'],
    ['620', 'KS', 'America/Chicago'],
    ['812', 'IN', 'America/Indiana/Indianapolis'],
    // Canada
    ['416', 'ON', 'America/Toronto'],
    ['514', 'QC', 'America/Toronto'],
    ['604', 'BC', 'America/Vancouver'],
    ['403', 'AB', 'America/Edmonton'],
    ['306', 'SK', 'America/Regina'],
    ['709', 'NL', 'America/St_Johns'],
  ])('%s → %s, %s', (code, state, timeZone) => {
    expect(areaCodeInfo(code)).toMatchObject({ state, timeZone });
  });

  it('knows nothing about non-geographic and non-US/Canadian codes', () => {
    for (const code of ['800', '888', '877', '900', '500', '876', '809', '242', '000', 'abc', 'toString', '__proto__']) {
      expect(areaCodeInfo(code), code).toBeNull();
    }
  });

  it('covers every state and uses only real IANA zones', () => {
    const states = new Set(Object.values(AREA_CODES).map((i) => i.state));
    for (const state of ['AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY']) {
      expect(states.has(state), state).toBe(true);
    }
    expect(Object.keys(AREA_CODES).length).toBeGreaterThan(400);
    for (const [code, info] of Object.entries(AREA_CODES)) {
      expect(code).toMatch(/^[2-9]\d\d$/);
      expect(isTimeZone(info.timeZone), `${code} ${info.timeZone}`).toBe(true);
      expect(STATE_TIME_ZONES[info.state], code).toBeDefined();
    }
    for (const [state, tz] of Object.entries(STATE_TIME_ZONES)) expect(isTimeZone(tz), `${state} ${tz}`).toBe(true);
  });
});

describe('stateCode', () => {
  it.each([
    ['Florida', 'FL'],
    ['fla', 'FL'],
    ['Fla.', 'FL'],
    ['FL', 'FL'],
    ['fl.', 'FL'],
    [' florida ', 'FL'],
    ['TX', 'TX'],
    ['Tex.', 'TX'],
    ['texas', 'TX'],
    ['N.Y.', 'NY'],
    ['new  york', 'NY'],
    ['New Jersey', 'NJ'],
    ['Rhode Island', 'RI'],
    ['R.I.', 'RI'],
    ['Conn.', 'CT'],
    ['W. Va.', 'WV'],
    ['West Virginia', 'WV'],
    ['Washington', 'WA'],
    ['Washington, D.C.', 'DC'],
    ['District of Columbia', 'DC'],
    ['Calif.', 'CA'],
    ['Okla', 'OK'],
    ['Miss.', 'MS'],
    ['Md', 'MD'],
    ['Puerto Rico', 'PR'],
    ['Québec', 'QC'],
    ['ontario', 'ON'],
  ])('%j → %s', (input, expected) => {
    expect(stateCode(input)).toBe(expected);
  });

  it.each([[''], ['Narnia'], ['XX'], ['New'], ['Flor ida'], [null], [undefined]])('%j → null', (input) => {
    expect(stateCode(input)).toBeNull();
  });
});
