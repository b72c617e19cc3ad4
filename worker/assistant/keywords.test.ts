import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectComplianceKeyword } from './keywords';

describe('detectComplianceKeyword', () => {
  it.each([
    'STOP', 'stop', 'Stop.', 'STOP!!', 'stop pls', 'STOP STOP STOP', 'Stop 🛑', '  stop  ', 'STOPALL', 'stop all', 'QUIT', 'Quit.',
    'END', 'end', 'REVOKE', 'OPT OUT', 'opt-out', 'optout', 'CANCEL', 'Cancel.', 'UNSUBSCRIBE', 'unsubscribe me please', 'please stop',
  ])('carrier keyword %j opts out', (text) => {
    expect(detectComplianceKeyword(text)).toBe('opt_out');
  });

  it.each([
    'leave me alone', 'Take me off your list', 'take me off the list please', "don't text me again", 'Do not contact me again',
    'please stop texting me', 'STOP TEXTING ME', 'quit texting me', 'lose my number', 'delete my number', 'remove me',
    'Remove me from your list', "I'm not interested, don't ever text me again", 'Who is this? STOP', 'not interested stop',
    'wrong number, stop', 'stop messaging me about my house', 'go away', 'no more texts', 'I said stop',
    'No más', 'no mas mensajes', 'no me escribas', 'Ya no me manden mensajes', 'Ya no quiero recibir mensajes', 'déjame en paz',
    'f off', 'stop harassing me',
  ])('plain-language opt-out %j is caught', (text) => {
    expect(detectComplianceKeyword(text)).toBe('opt_out');
  });

  it.each([
    'can you stop by Tuesday?', 'Stop by anytime after 5', 'the bus stop is near the house', "we'll end up moving in June",
    "don't stop now, what's next?", 'cancel my listing with the other agent', 'I stopped renting it out', 'The end of the year works',
    'END OF THE YEAR', 'I quit my job so we need to move', 'cancel that, she says 950', 'We already cancelled the other listing',
    "Lol don't stop texting me, I'm interested", 'How do I stop the foreclosure?', 'Full stop, it needs everything',
    'the stop sign on Elm', 'STOP sign out front got hit by a truck', 'I unsubscribed from Zillow emails', 'No más de dos meses',
    'Ya no más inquilinos', 'my ex wont leave me alone', 'the tenants dont call me anymore', 'get me out of this house',
    'the smell wont go away', 'make the leak stop', 'we need to end the lease first', 'in the end we want 400k',
  ])('near miss %j is not an opt-out', (text) => {
    expect(detectComplianceKeyword(text)).not.toBe('opt_out');
  });

  it('reads START/UNSTOP as opt-in and HELP/INFO as help, only as the whole message', () => {
    expect(detectComplianceKeyword('START')).toBe('opt_in');
    expect(detectComplianceKeyword('unstop')).toBe('opt_in');
    expect(detectComplianceKeyword('Opt in')).toBe('opt_in');
    expect(detectComplianceKeyword('HELP')).toBe('help');
    expect(detectComplianceKeyword('info')).toBe('help');
    expect(detectComplianceKeyword('we start packing next week')).toBeNull();
    expect(detectComplianceKeyword('I need help deciding on a price')).toBeNull();
    expect(detectComplianceKeyword('yes')).toBeNull();
  });

  it('lets an opt-out win over anything else in the message', () => {
    expect(detectComplianceKeyword('START? no. leave me alone')).toBe('opt_out');
  });

  it('never throws and always answers one of the four values', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        expect([null, 'opt_out', 'opt_in', 'help']).toContain(detectComplianceKeyword(text));
      }),
      { numRuns: 500 },
    );
  });

  it('never reads "stop by"/"stop at" in an ordinary sentence as an opt-out', () => {
    const word = fc.constantFrom('Tuesday', 'the house', 'anytime', 'after work', 'at 5', 'tomorrow', 'the office');
    fc.assert(
      fc.property(fc.constantFrom('Can you', 'You can', 'Feel free to', 'Could someone'), fc.constantFrom('stop by', 'stop at', 'stop over'), word, (a, b, c) => {
        expect(detectComplianceKeyword(`${a} ${b} ${c}?`)).not.toBe('opt_out');
      }),
    );
  });
});
