/**
 * Where a NANP phone number's owner probably is: area code → state/province and IANA time zone.
 * Quiet hours are judged in the *recipient's* local time (PRODUCT §3.3); when a lead gave no
 * address, the area code is the best evidence we have. Numbers move with people, so an address
 * always wins over this table (see `recipientLocale`).
 *
 * Covers every geographic area code in service (or assigned for overlay) in the US, its
 * territories and Canada as of 2025. Non-geographic codes (800/888…, 500, 900) and the other
 * NANP countries (Caribbean) are deliberately absent: they say nothing about a US local time.
 */

export interface AreaCodeInfo {
  /** Two-letter USPS state/territory code, or Canadian province/territory code. */
  state: string;
  country: 'US' | 'CA';
  timeZone: string;
}

/**
 * Predominant zone of each state (where most of its people live). Where a state spans zones the
 * per-area-code overrides below say which area codes differ.
 */
export const STATE_TIME_ZONES: Readonly<Record<string, string>> = {
  AL: 'America/Chicago',
  AK: 'America/Anchorage', // Aleutians west of 169°30′W: America/Adak
  AZ: 'America/Phoenix', // no DST; the Navajo Nation observes it (America/Denver)
  AR: 'America/Chicago',
  CA: 'America/Los_Angeles',
  CO: 'America/Denver',
  CT: 'America/New_York',
  DE: 'America/New_York',
  DC: 'America/New_York',
  FL: 'America/New_York', // panhandle west of the Apalachicola River: Central
  GA: 'America/New_York',
  HI: 'Pacific/Honolulu',
  ID: 'America/Boise', // north of the Salmon River: Pacific
  IL: 'America/Chicago',
  IN: 'America/Indiana/Indianapolis', // NW (Gary) and SW (Evansville) corners: Central
  IA: 'America/Chicago',
  KS: 'America/Chicago', // four western counties: Mountain
  KY: 'America/New_York', // western half: Central
  LA: 'America/Chicago',
  ME: 'America/New_York',
  MD: 'America/New_York',
  MA: 'America/New_York',
  MI: 'America/Detroit', // four Upper Peninsula counties on the Wisconsin line: Central
  MN: 'America/Chicago',
  MS: 'America/Chicago',
  MO: 'America/Chicago',
  MT: 'America/Denver',
  NE: 'America/Chicago', // panhandle: Mountain
  NV: 'America/Los_Angeles',
  NH: 'America/New_York',
  NJ: 'America/New_York',
  NM: 'America/Denver',
  NY: 'America/New_York',
  NC: 'America/New_York',
  ND: 'America/Chicago', // south-west: Mountain
  OH: 'America/New_York',
  OK: 'America/Chicago',
  OR: 'America/Los_Angeles', // Malheur County: Mountain
  PA: 'America/New_York',
  RI: 'America/New_York',
  SC: 'America/New_York',
  SD: 'America/Chicago', // west of the Missouri: Mountain
  TN: 'America/Chicago', // east Tennessee: Eastern
  TX: 'America/Chicago', // El Paso and Hudspeth counties: Mountain
  UT: 'America/Denver',
  VT: 'America/New_York',
  VA: 'America/New_York',
  WA: 'America/Los_Angeles',
  WV: 'America/New_York',
  WI: 'America/Chicago',
  WY: 'America/Denver',
  PR: 'America/Puerto_Rico',
  VI: 'America/St_Thomas',
  GU: 'Pacific/Guam',
  MP: 'Pacific/Saipan',
  AS: 'Pacific/Pago_Pago',
  // Canada
  AB: 'America/Edmonton',
  BC: 'America/Vancouver', // Kootenays and Peace River: Mountain
  MB: 'America/Winnipeg',
  NB: 'America/Moncton',
  NL: 'America/St_Johns', // most of Labrador: Atlantic
  NS: 'America/Halifax',
  NT: 'America/Edmonton',
  NU: 'America/Iqaluit', // Kivalliq and Kitikmeot: Central/Mountain
  ON: 'America/Toronto', // north-west of 90°W: Central
  PE: 'America/Halifax',
  QC: 'America/Toronto',
  SK: 'America/Regina', // no DST
  YT: 'America/Whitehorse', // UTC-7 all year
};

const CENTRAL = 'America/Chicago';
const EASTERN = 'America/New_York';

/**
 * Area codes per state. `except` lists the codes whose own zone differs from the state's
 * predominant one. A code that itself spans two zones carries the zone of most of its people;
 * each such choice is noted beside the row.
 */
const AREA_CODES_BY_STATE: ReadonlyArray<{ state: string; country?: 'CA'; codes: string; except?: Record<string, string> }> = [
  { state: 'AL', codes: '205 251 256 334 659 938' },
  { state: 'AK', codes: '907' }, // spans Alaska/Hawaii-Aleutian time: chose Anchorage
  { state: 'AZ', codes: '480 520 602 623 928' }, // 928 includes the Navajo Nation (DST): chose Phoenix
  { state: 'AR', codes: '327 479 501 870' },
  {
    state: 'CA',
    codes:
      '209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 738 747 760 805 818 820 831 840 858 909 916 925 949 951',
  },
  { state: 'CO', codes: '303 719 720 748 970 983' },
  { state: 'CT', codes: '203 475 860 959' },
  { state: 'DE', codes: '302' },
  { state: 'DC', codes: '202 771' },
  {
    state: 'FL',
    codes: '239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954',
    // 850 (and its overlay 448) spans both: Pensacola, Fort Walton Beach and Panama City are
    // Central, Tallahassee is Eastern. Chose Central, where most of its people are.
    except: { '850': CENTRAL, '448': CENTRAL },
  },
  { state: 'GA', codes: '229 404 470 478 678 706 762 770 912 943' },
  { state: 'HI', codes: '808' },
  // 208 and its overlay 986 cover all of Idaho: the north (Coeur d'Alene, Lewiston) is Pacific,
  // the south (Boise, Idaho Falls) Mountain. Chose Mountain (America/Boise).
  { state: 'ID', codes: '208 986' },
  { state: 'IL', codes: '217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 872' },
  {
    state: 'IN',
    // 219 (Gary, the Chicago side) is Central. 812/930 spans both: Evansville's corner is Central,
    // Bloomington, Columbus, Terre Haute and the Louisville side Eastern: chose Eastern. 574
    // includes Starke County (Central): chose Eastern.
    codes: '219 260 317 463 574 765 812 930',
    except: { '219': CENTRAL },
  },
  { state: 'IA', codes: '319 515 563 641 712' },
  // 620 and 785 each include two western counties on Mountain time: chose Central.
  { state: 'KS', codes: '316 620 785 913' },
  {
    state: 'KY',
    // 270/364 spans both: Bowling Green, Owensboro and Paducah are Central, Elizabethtown is
    // Eastern. Chose Central.
    codes: '270 364 502 606 859',
    except: { '270': CENTRAL, '364': CENTRAL },
  },
  { state: 'LA', codes: '225 318 337 504 985' },
  { state: 'ME', codes: '207' },
  { state: 'MD', codes: '227 240 301 410 443 667' },
  { state: 'MA', codes: '339 351 413 508 617 774 781 857 978' },
  // 906 (Upper Peninsula) spans both: four counties on the Wisconsin line are Central. Chose Eastern.
  { state: 'MI', codes: '231 248 269 313 517 586 616 679 734 810 906 947 989' },
  { state: 'MN', codes: '218 320 507 612 651 763 952' },
  { state: 'MS', codes: '228 601 662 769' },
  { state: 'MO', codes: '235 314 417 557 573 636 660 816 975' },
  { state: 'MT', codes: '406' },
  // 308 spans both: the panhandle (Scottsbluff, Sidney) is Mountain; Grand Island, Kearney and
  // North Platte are Central. Chose Central.
  { state: 'NE', codes: '308 402 531' },
  { state: 'NV', codes: '702 725 775' }, // 775 includes West Wendover (Mountain): chose Pacific
  { state: 'NH', codes: '603' },
  { state: 'NJ', codes: '201 551 609 640 732 848 856 862 908 973' },
  { state: 'NM', codes: '505 575' },
  { state: 'NY', codes: '212 315 329 332 347 363 516 518 585 607 631 646 680 716 718 838 845 914 917 929 934' },
  { state: 'NC', codes: '252 336 472 704 743 828 910 919 980 984' },
  { state: 'ND', codes: '701' }, // the south-west (Dickinson) is Mountain: chose Central
  { state: 'OH', codes: '216 220 234 283 326 330 380 419 440 513 567 614 740 937' },
  { state: 'OK', codes: '405 539 572 580 918' },
  { state: 'OR', codes: '458 503 541 971' }, // 541/458 include Malheur County (Mountain): chose Pacific
  { state: 'PA', codes: '215 223 267 272 412 445 484 570 582 610 717 724 814 835 878' },
  { state: 'RI', codes: '401' },
  { state: 'SC', codes: '803 821 839 843 854 864' },
  { state: 'SD', codes: '605' }, // west river (Rapid City) is Mountain: chose Central (Sioux Falls)
  {
    state: 'TN',
    // 423 (Chattanooga, the Tri-Cities) is Eastern, though a few of its counties west of
    // Chattanooga are Central: chose Eastern. 931 is mostly Central.
    codes: '423 615 629 731 865 901 931',
    except: { '423': EASTERN, '865': EASTERN },
  },
  {
    state: 'TX',
    // 915 is El Paso (Mountain). 432 (Midland, Odessa) is Central apart from the far west: chose Central.
    codes: '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 940 945 956 972 979',
    except: { '915': 'America/Denver' },
  },
  { state: 'UT', codes: '385 435 801' },
  { state: 'VT', codes: '802' },
  { state: 'VA', codes: '276 434 540 571 686 703 757 804 826 948' },
  { state: 'WA', codes: '206 253 360 425 509 564' },
  { state: 'WV', codes: '304 681' },
  { state: 'WI', codes: '262 274 353 414 534 608 715 920' },
  { state: 'WY', codes: '307' },
  { state: 'PR', codes: '787 939' },
  { state: 'VI', codes: '340' },
  { state: 'GU', codes: '671' },
  { state: 'MP', codes: '670' },
  { state: 'AS', codes: '684' },
  // Canada
  { state: 'AB', country: 'CA', codes: '368 403 587 780 825' },
  // 250 (and the province-wide overlays 236, 257, 672, 778) includes the Kootenays and Peace
  // River (Mountain): chose Pacific.
  { state: 'BC', country: 'CA', codes: '236 250 257 604 672 778' },
  { state: 'MB', country: 'CA', codes: '204 431 584' },
  { state: 'NB', country: 'CA', codes: '428 506' },
  { state: 'NL', country: 'CA', codes: '709 879' }, // Labrador is mostly Atlantic: chose Newfoundland
  { state: 'NS', country: 'CA', codes: '782 902' }, // also Prince Edward Island, on the same clock
  // 807 spans both: Thunder Bay is Eastern, Kenora Central. Chose Eastern.
  { state: 'ON', country: 'CA', codes: '226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 807 905 942' },
  { state: 'QC', country: 'CA', codes: '263 354 367 418 438 450 468 514 579 581 819 873' },
  { state: 'SK', country: 'CA', codes: '306 474 639' },
  // 867 covers Yukon (UTC-7 all year), the Northwest Territories (Mountain) and Nunavut
  // (Eastern to Mountain): chose the Northwest Territories.
  { state: 'NT', country: 'CA', codes: '867' },
];

export const AREA_CODES: Readonly<Record<string, AreaCodeInfo>> = Object.freeze(buildAreaCodes());

function buildAreaCodes(): Record<string, AreaCodeInfo> {
  const table: Record<string, AreaCodeInfo> = {};
  for (const { state, country = 'US', codes, except = {} } of AREA_CODES_BY_STATE) {
    for (const code of codes.split(' ')) {
      const timeZone = except[code] ?? STATE_TIME_ZONES[state];
      if (!timeZone) throw new Error(`no time zone for ${state}`);
      if (table[code]) throw new Error(`area code ${code} listed twice`);
      table[code] = { state, country, timeZone };
    }
  }
  return table;
}

/** State and zone for a three-digit area code, or null when it is not a US/Canadian geographic code. */
export function areaCodeInfo(areaCode: string): AreaCodeInfo | null {
  return Object.hasOwn(AREA_CODES, areaCode) ? (AREA_CODES[areaCode] ?? null) : null;
}

/** Names, postal abbreviations and the older (AP/GPO) abbreviations people still type. */
const STATE_NAMES: Readonly<Record<string, readonly string[]>> = {
  AL: ['alabama', 'ala'],
  AK: ['alaska', 'alas'],
  AZ: ['arizona', 'ariz'],
  AR: ['arkansas', 'ark'],
  CA: ['california', 'calif', 'cal', 'cali'],
  CO: ['colorado', 'colo', 'col'],
  CT: ['connecticut', 'conn'],
  DE: ['delaware', 'del'],
  DC: ['district of columbia', 'washington dc', 'washington d c'],
  FL: ['florida', 'fla', 'flor'],
  GA: ['georgia'],
  HI: ['hawaii'],
  ID: ['idaho', 'ida'],
  IL: ['illinois', 'ill', 'ills'],
  IN: ['indiana', 'ind'],
  IA: ['iowa'],
  KS: ['kansas', 'kan', 'kans'],
  KY: ['kentucky', 'kent'],
  LA: ['louisiana'],
  ME: ['maine'],
  MD: ['maryland'],
  MA: ['massachusetts', 'mass'],
  MI: ['michigan', 'mich'],
  MN: ['minnesota', 'minn'],
  MS: ['mississippi', 'miss'],
  MO: ['missouri'],
  MT: ['montana', 'mont'],
  NE: ['nebraska', 'neb', 'nebr'],
  NV: ['nevada', 'nev'],
  NH: ['new hampshire'],
  NJ: ['new jersey'],
  NM: ['new mexico', 'n mex'],
  NY: ['new york'],
  NC: ['north carolina', 'n car'],
  ND: ['north dakota', 'n dak'],
  OH: ['ohio'],
  OK: ['oklahoma', 'okla'],
  OR: ['oregon', 'ore', 'oreg'],
  PA: ['pennsylvania', 'penn', 'penna'],
  RI: ['rhode island'],
  SC: ['south carolina', 's car'],
  SD: ['south dakota', 's dak'],
  TN: ['tennessee', 'tenn'],
  TX: ['texas', 'tex'],
  UT: ['utah'],
  VT: ['vermont'],
  VA: ['virginia', 'virg'],
  WA: ['washington', 'wash'],
  WV: ['west virginia', 'w va', 'wva', 'w virginia'],
  WI: ['wisconsin', 'wis', 'wisc'],
  WY: ['wyoming', 'wyo'],
  PR: ['puerto rico'],
  VI: ['virgin islands', 'us virgin islands', 'u s virgin islands'],
  GU: ['guam'],
  MP: ['northern mariana islands', 'northern marianas'],
  AS: ['american samoa'],
  AB: ['alberta', 'alta'],
  BC: ['british columbia'],
  MB: ['manitoba'],
  NB: ['new brunswick'],
  NL: ['newfoundland and labrador', 'newfoundland', 'nfld'],
  NS: ['nova scotia'],
  NT: ['northwest territories'],
  NU: ['nunavut'],
  ON: ['ontario', 'ont'],
  PE: ['prince edward island', 'pei'],
  QC: ['quebec', 'que', 'pq'],
  SK: ['saskatchewan', 'sask'],
  YT: ['yukon', 'yukon territory'],
};

const STATE_LOOKUP: ReadonlyMap<string, string> = new Map(
  Object.entries(STATE_NAMES).flatMap(([code, names]) => [[code.toLowerCase(), code] as const, ...names.map((n) => [n, code] as const)]),
);

/** "Florida", "fla", "FL", "fl." → "FL"; "Québec" → "QC"; null when it names no known state/province. */
export function stateCode(input: string | null | undefined): string | null {
  if (!input) return null;
  const key = input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '') // Québec → Quebec
    .toLowerCase()
    .replace(/[.,]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // Dropping the dots turns "N.Y." into "n y": letters standing alone are read as initials.
  const initials = /^([a-z] )+[a-z]$/.test(key) ? key.replace(/ /g, '') : key;
  return STATE_LOOKUP.get(key) ?? STATE_LOOKUP.get(initials) ?? null;
}
