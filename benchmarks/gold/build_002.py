import json, sys
sys.path.insert(0, '.')
from cands_002 import t, occ

P = {  # key: (name, lat, lon, tol, kind)
 'SU': ('Soviet Union', 57.0, 65.0, 2500.0, 'country'),
 'RU': ('Russia', 57.0, 65.0, 2500.0, 'country'),
 'RE': ('Russian Empire', 57.0, 65.0, 2500.0, 'country'),
 'WRU': ('Western Russia', 55.0, 40.0, 1000.0, 'region'),
 'UA': ('Ukraine', 49.0, 32.0, 500.0, 'country'),
 'GE': ('Georgia', 42.0, 43.5, 150.0, 'country'),
 'DE': ('Germany', 51.5, 10.5, 350.0, 'country'),
 'EDE': ('East Germany (former GDR territory)', 52.3, 12.5, 250.0, 'region'),
 'PL': ('Poland', 52.0, 20.0, 350.0, 'country'),
 'FI': ('Finland', 64.0, 26.0, 500.0, 'country'),
 'BALT': ('Baltic States', 57.0, 24.5, 400.0, 'region'),
 'BESS': ('Bessarabia', 47.0, 28.5, 200.0, 'region'),
 'BUK': ('Bukovina', 48.0, 25.8, 150.0, 'region'),
 'MD': ('Moldova', 47.2, 28.5, 200.0, 'country'),
 'KAR': ('Karelia', 62.5, 32.0, 400.0, 'region'),
 'LV': ('Latvia', 56.9, 24.6, 200.0, 'country'),
 'EE': ('Estonia', 58.7, 25.5, 200.0, 'country'),
 'LT': ('Lithuania', 55.3, 23.9, 200.0, 'country'),
 'RO': ('Romania', 45.9, 25.0, 300.0, 'country'),
 'BG': ('Bulgaria', 42.7, 25.3, 250.0, 'country'),
 'HU': ('Hungary', 47.0, 20.0, 200.0, 'country'),
 'CS': ('Czechoslovakia (Czech Republic and Slovakia)', 49.5, 17.5, 400.0, 'country'),
 'GR': ('Greece', 39.0, 22.0, 400.0, 'country'),
 'BY': ('Belarus', 53.7, 28.0, 300.0, 'country'),
 'EU': ('Europe', 48.69, 9.14, 2000.0, 'region'),
 'EEU': ('Eastern Europe', 50.0, 30.0, 1200.0, 'region'),
 'CEU': ('Central Europe', 50.0, 15.0, 700.0, 'region'),
 'WEU': ('Western Europe', 48.0, 4.0, 1000.0, 'region'),
 'ECEU': ('Eastern and Central Europe', 50.0, 22.0, 1200.0, 'region'),
 'CAU': ('Caucasus', 42.5, 44.5, 500.0, 'region'),
 'CAUM': ('Caucasus Mountains', 42.5, 44.0, 500.0, 'mountain'),
 'SIB': ('Siberia', 60.0, 100.0, 2000.0, 'region'),
 'CAS': ('Central Asia', 43.0, 65.0, 1500.0, 'region'),
 'TAT': ('Tatarstan', 55.5, 50.5, 200.0, 'region'),
 'CHE': ('Chechnya', 43.4, 45.7, 100.0, 'region'),
 'GB': ('Great Britain', 54.0, -2.5, 400.0, 'country'),
 'FR': ('France', 46.5, 2.5, 450.0, 'country'),
 'JP': ('Japan', 36.5, 138.0, 700.0, 'country'),
 'US': ('United States', 39.8, -98.6, 2000.0, 'country'),
 'MX': ('Mexico', 23.6, -102.5, 1000.0, 'country'),
 'MN': ('Mongolia', 46.8, 103.0, 700.0, 'country'),
 'MAN': ('Manchuria', 45.0, 126.0, 700.0, 'region'),
 'KOR': ('Korea', 38.0, 127.5, 400.0, 'region'),
 'KP': ('North Korea', 40.3, 127.4, 200.0, 'country'),
 'KR': ('South Korea', 36.3, 127.8, 200.0, 'country'),
 'CN': ('China', 35.0, 103.0, 1800.0, 'country'),
 'TW': ('Taiwan', 23.7, 121.0, 200.0, 'country'),
 'ASIA': ('Asia', 45.0, 90.0, 4000.0, 'region'),
 'IL': ('Israel', 31.4, 35.0, 150.0, 'country'),
 'VIS': ('Vistula', 52.4, 19.6, 300.0, 'river'),
 'ODER': ('Oder', 51.6, 15.9, 300.0, 'river'),
 'NEIS': ('Neisse', 51.2, 14.95, 161.0, 'river'),
 'BSEA': ('Black Sea', 43.4, 34.0, 600.0, 'sea'),
 'VALD': ('Valdai Hills', 57.5, 33.3, 200.0, 'mountain'),
 'RITSA': ('Lake Ritsa', 43.4728, 40.5378, 161.0, 'lake'),
 'ABK': ('Abkhazia', 43.0, 41.0, 100.0, 'region'),
 # settlements
 'GORI': ('Gori', 41.98532, 44.1129, 161.0, 'city'),
 'SPB': ('Saint Petersburg', 59.93863, 30.31413, 161.0, 'city'),
 'BAKU': ('Baku', 40.37767, 49.89201, 161.0, 'city'),
 'VOLG': ('Volgograd', 48.71378, 44.4976, 161.0, 'city'),
 'LVIV': ('Lviv', 49.83826, 24.02324, 161.0, 'city'),
 'WAW': ('Warsaw', 52.22977, 21.01178, 161.0, 'city'),
 'MOW': ('Moscow', 55.75204, 37.61781, 161.0, 'city'),
 'YALTA': ('Yalta', 44.50218, 34.16624, 161.0, 'city'),
 'GORKI': ('Gorki Leninskiye', 55.5068, 37.7723, 161.0, 'city'),
 'BREST': ('Brest', 52.10894, 23.71749, 161.0, 'city'),
 'BER': ('Berlin', 52.52437, 13.41053, 161.0, 'city'),
 'WBER': ('Berlin', 52.50, 13.30, 161.0, 'city'),
 'KURSK': ('Kursk', 51.72689, 36.18457, 161.0, 'city'),
 'THR': ('Tehran', 35.69439, 51.42151, 161.0, 'city'),
 'BUD': ('Budapest', 47.49835, 19.04045, 161.0, 'city'),
 'POTS': ('Potsdam', 52.39886, 13.06566, 161.0, 'city'),
 'SOF': ('Sofia', 42.69751, 23.32415, 161.0, 'city'),
 'PAR': ('Paris', 48.85341, 2.3488, 161.0, 'city'),
 'MUC': ('Munich', 48.13743, 11.57549, 161.0, 'city'),
 'VERS': ('Versailles', 48.80359, 2.13424, 161.0, 'city'),
 'VIL': ('Vilnius', 54.68916, 25.2798, 161.0, 'city'),
 'NOVK': ('Novokuznetsk', 53.75752, 87.13599, 161.0, 'city'),
 'SOCHI': ('Sochi', 43.59699, 39.72477, 161.0, 'city'),
 'GAGRA': ('Gagra', 43.2833, 40.2667, 161.0, 'city'),
 'SUKH': ('Sukhumi', 43.00697, 40.9893, 161.0, 'city'),
 'NAFON': ('New Athos', 43.0906, 40.8131, 161.0, 'city'),
 'ZMYS': ('Zeleny Mys', 41.6961, 41.7069, 161.0, 'city'),
 'USOVO': ('Usovo', 55.735, 37.184, 161.0, 'city'),
 'KUNTS': ('Kuntsevo', 55.7169, 37.4641, 161.0, 'city'),
 # sites
 'KATYN': ('Katyn', 54.7724, 31.7918, 161.0, 'site'),
 'SMOL': ('Smolny Institute', 59.9465, 30.3963, 161.0, 'site'),
 'WPAL': ('Winter Palace', 59.9404, 30.3139, 161.0, 'site'),
 'KREM': ('Moscow Kremlin', 55.7520, 37.6175, 161.0, 'site'),
 'KWN': ('Kremlin Wall Necropolis', 55.7537, 37.6199, 161.0, 'site'),
 'MAUS': ("Lenin's Mausoleum", 55.7537, 37.6198, 161.0, 'site'),
 'REICH': ('Reichstag building', 52.5186, 13.3762, 161.0, 'site'),
 'SACHS': ('Sachsenhausen concentration camp', 52.7658, 13.2636, 161.0, 'site'),
 'GRUTAS': ('Grutas Park', 54.017, 24.067, 161.0, 'site'),
 'ZUBAL': ('Zubalovo', 55.73, 37.18, 161.0, 'site'),
 'BLIZ': ('Kuntsevo Dacha (Blizhny dacha)', 55.7169, 37.4641, 161.0, 'site'),
 'LIPKI': ('Lipki', 56.05, 37.55, 161.0, 'site'),
 'SEMY': ('Semyonovskoye', 54.98, 37.8, 161.0, 'site'),
}

# decisions: index -> 'I' (ignore), None (not annotated), or place key; optional span override (text)
D = {}
def T(key, *idx):
    for i in idx: D[i] = ('T', key)
def I(*idx, reason='state/government as actor or polity (non-territorial use)'):
    for i in idx: D[i] = ('I', reason)
def N(*idx):
    for i in idx: D[i] = ('N', None)

OFF = 'country in an office title'
# Soviet Union
I(0, reason=OFF); I(1, 3, 11, 13); T('SU', 46, 51, 58, 63, 65, 66); I(71); T('SU', 75, 79); I(81, 82, 83, 86, 87, 88)
T('SU', 89, 90, 91, 96, 97, 99); I(101); T('SU', 102); I(103, 104, 106, 110); T('SU', 129, 134); I(136)
T('SU', 149, 152, 154); I(160); T('SU', 165); I(182, 185, 198, 202, 224, 237, 254, 264, 282, 303, 306, 326)
T('SU', 329, 330); I(331); T('SU', 333); I(335, 337); T('SU', 342); N(357); T('SU', 387); I(398, reason=OFF)
# USSR
T('SU', 77, 78); I(84, 284, 297, 299, 320); I(322, reason=OFF)
# Ukraine, Georgia
T('UA', 2, 85, 344); T('GE', 15, 47, 48, 49, 93, 356, 400)
# Germany
I(4, 10); T('DE', 52); I(109, 111, 126, 143, 147, 148, 150, 153, 155, 159); T('DE', 167); I(174, 184); T('DE', 187)
I(194); T('EDE', 196); I(201); T('DE', 206, 223); I(233, 235, 236, 244, 252); T('EDE', 250); T('DE', 251)
# Poland
T('PL', 5, 31); I(45); T('PL', 113, 121, 123, 124, 125, 127, 183, 203, 225, 226); N(229); I(231); T('PL', 239); I(245)
T('PL', 259); I(268, 274); T('PL', 334)
# Finland, Baltic, etc.
T('FI', 6, 23, 116, 135, 338); T('BALT', 7, 72, 122, 238); T('BESS', 8, 138); T('BUK', 9, 139, 141); T('MD', 140); T('KAR', 137)
T('LV', 114, 132, 341); T('EE', 115, 133, 340); T('LT', 118, 128, 131, 339); T('RO', 117, 207, 243); I(269)
T('BG', 242, 262); I(265); T('HU', 208, 241, 260); I(246, 267, 273); T('CS', 240, 324); I(247, 266, 272)
T('GR', 277, 280); I(281, 283); I(145)
# Europe
T('EEU', 12, 42, 119, 161, 186, 219, 222, 234); T('EU', 112, 209, 214, 220, 228, 261, 276); N(362)
T('ECEU', 130, 249); T('CEU', 30, 270, 285); T('WEU', 271)
# Russia
T('RU', 28, 76, 92, 358, 402); T('RE', 80); I(94, 100, 361); N(98, 359, 360); T('WRU', 346)
# cities etc
T('GORI', 14, 355, 399); T('SPB', 16, 21, 22, 24, 27, 389, 394); T('CAU', 17, 68); T('BAKU', 18, 19); T('SIB', 20, 67, 69)
T('SMOL', 25); T('WPAL', 26); T('VOLG', 29, 158, 366, 392, 393); T('LVIV', 32, 35, 36, 39, 44)
T('WAW', 33, 34, 37, 41, 169)
T('MOW', 38, 59, 61, 95, 157, 163, 164, 166, 215, 216, 218, 248, 321, 348, 391, 401); N(397)
T('KATYN', 40, 105, 199); T('YALTA', 43, 197, 210, 213, 221, 227, 230, 258); T('GORKI', 50)
T('GB', 53); T('FR', 54, 180, 181); I(107, 287); T('JP', 55); I(142, 144, 151, 294, 295)
T('US', 56, 368); I(279, 288); T('MX', 57, 62); T('MN', 60, 64); T('CAS', 70); T('TAT', 73); T('CHE', 74)
T('BREST', 120); I(108, 156, 178, 278, 286); I(179, 312, 343); I(172, 212, reason=OFF); I(309)
T('BER', 146, 189, 190, 195, 204, 253, 256, 257); T('WBER', 255); I(327, reason='capital city used for its government (actor)')
T('KURSK', 168, 175, 176); T('THR', 173, 177, 217, 386); T('VIS', 170); T('ODER', 171, 191); T('NEIS', 192)
T('BY', 188, 336); T('REICH', 193); T('MAN', 200, 290); T('BUD', 205); T('POTS', 211, 232); T('SOF', 263); T('PAR', 275)
T('ASIA', 289); T('KOR', 291, 314); N(292); I(293, reason=OFF); T('CN', 296, 298, 300, 301); I(304, 307)
T('TW', 302, 305); T('KP', 308, 311); I(317); I(310); T('KR', 313, 315, 316)
T('IL', 318); I(319, 323, 325); T('MUC', 328); T('VERS', 332)
T('KUNTS', 347, 373); T('KWN', 349); T('MAUS', 350, 351); T('KREM', 162, 352, 370, 396); N(345, 363, 364)
T('GRUTAS', 353); T('VIL', 354); T('CAUM', 365); T('SACHS', 367); T('NOVK', 369); T('USOVO', 371); T('ZUBAL', 372)
T('BLIZ', 374); T('LIPKI', 375); T('SEMY', 376); T('SOCHI', 377); T('GAGRA', 378); T('ABK', 379); T('NAFON', 380)
T('SUKH', 381); T('VALD', 382); T('RITSA', 383); T('ZMYS', 384); T('BSEA', 385)
I(388, reason='place in an office title (Metropolitan of the Lebanon Mountains)'); N(390, 395)

# span overrides: index -> (new_start, new_end)
OV = {}
def find_span(i, s):
    st, en, w = occ[i]
    a = t.rfind(s, 0, en)
    assert a != -1 and a <= st and a + len(s) >= en, (i, s)
    return a, a + len(s)
OV[95] = (occ[95][1] - len('Moscow'), occ[95][1])  # Seven Sisters of [Moscow]
OV[142] = find_span(142, 'Empire of Japan')
OV[304] = find_span(304, "People's Republic of China")
OV[246] = find_span(246, "People's Republic of Hungary")

missing = [i for i in range(len(occ)) if i not in D]
extra = [i for i in D if i >= len(occ)]
assert not missing and not extra, (missing, extra)

tops, igns = [], []
for i, (s, e, w) in enumerate(occ):
    kind, val = D[i]
    if i in OV: s, e = OV[i]
    txt = t[s:e]
    if kind == 'T':
        name, lat, lon, tol, k = P[val]
        tops.append({'start': s, 'end': e, 'text': txt, 'name': name, 'lat': lat, 'lon': lon, 'tolerance_km': tol, 'kind': k})
    elif kind == 'I':
        igns.append({'start': s, 'end': e, 'text': txt, 'reason': val})

# validation
for x in tops + igns:
    assert t[x['start']:x['end']] == x['text']
allsp = sorted(tops + igns, key=lambda x: x['start'])
for a, b in zip(allsp, allsp[1:]):
    assert a['end'] <= b['start'], (a, b)
doc = {'doc': '002_84889b0b05e14acd', 'text': t, 'toponyms': tops, 'ignore_spans': igns}
line = json.dumps(doc, ensure_ascii=False)
json.loads(line)
open('toponyms_002.jsonl', 'w', encoding='utf-8').write(line + '\n')
print(len(tops), 'toponyms', len(igns), 'ignore spans')
