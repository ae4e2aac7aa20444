"""Builds hand-annotated toponym gold files for seeds 001 and 004.
Every decision below was made by reading each occurrence in context; the script
only locates the decided surface forms and writes/validates the JSONL."""
import json, re, sys

SEEDS = {'001': '/work/shared/seeds/001_a1c100cb372226dc.txt',
         '004': '/work/shared/seeds/004_91826b4300abae17.txt'}

# key -> (canonical name, lat, lon, tolerance_km, kind)
M = {
 'SU': ('Soviet Union', 57.0, 65.0, 2500.0, 'country'),
 'RU': ('Russia', 57.0, 65.0, 2500.0, 'country'),
 'RE': ('Russian Empire', 57.0, 65.0, 3000.0, 'country'),
 'DE': ('Germany', 51.5, 10.5, 350.0, 'country'),
 'EDE': ('East Germany (former GDR territory)', 52.3, 12.5, 250.0, 'region'),
 'UA': ('Ukraine', 49.0, 32.0, 500.0, 'country'),
 'PL': ('Poland', 52.0, 20.0, 350.0, 'country'),
 'GE': ('Georgia', 42.0, 43.5, 150.0, 'country'),
 'FR': ('France', 46.6, 2.4, 450.0, 'country'),
 'GB': ('United Kingdom', 54.0, -2.5, 400.0, 'country'),
 'JP': ('Japan', 36.2, 138.3, 600.0, 'country'),
 'US': ('United States', 39.8, -98.6, 1800.0, 'country'),
 'CN': ('China', 35.0, 103.0, 1500.0, 'country'),
 'MX': ('Mexico', 23.6, -102.5, 900.0, 'country'),
 'MN': ('Mongolia', 46.9, 103.8, 700.0, 'country'),
 'KZ': ('Kazakhstan', 48.0, 67.0, 900.0, 'country'),
 'BY': ('Belarus', 53.7, 27.95, 300.0, 'country'),
 'CH': ('Switzerland', 46.8, 8.2, 150.0, 'country'),
 'EU': ('Europe', 48.69, 9.14, 2000.0, 'region'),
 'EEU': ('Eastern Europe', 50.0, 30.0, 1200.0, 'region'),
 'CEU': ('Central Europe', 50.0, 15.0, 600.0, 'region'),
 'SEU': ('Southern Europe', 41.5, 15.0, 1200.0, 'region'),
 'CAS': ('Central Asia', 43.0, 65.0, 1200.0, 'region'),
 'CAU': ('Caucasus', 42.5, 44.5, 400.0, 'region'),
 'SIB': ('Siberia', 60.0, 100.0, 1800.0, 'region'),
 'BAL': ('Baltic States', 56.9, 24.1, 350.0, 'region'),
 'TAT': ('Tatarstan', 55.5, 50.5, 200.0, 'region'),
 'CHE': ('Chechnya', 43.4, 45.7, 150.0, 'region'),
 'CAT': ('Catalonia', 41.8, 1.5, 150.0, 'region'),
 'MOB': ('Moscow Oblast', 55.6, 37.6, 150.0, 'region'),
 'TFG': ('Tiflis Governorate', 41.8, 44.7, 150.0, 'region'),
 'MOW': ('Moscow', 55.75204, 37.61781, 161.0, 'city'),
 'SPB': ('Saint Petersburg', 59.93863, 30.31413, 161.0, 'city'),
 'VGG': ('Volgograd', 48.71378, 44.4976, 161.0, 'city'),
 'TBS': ('Tbilisi', 41.69143, 44.83412, 161.0, 'city'),
 'GORI': ('Gori', 41.98532, 44.1129, 161.0, 'city'),
 'BAKU': ('Baku', 40.37767, 49.89201, 161.0, 'city'),
 'SHA': ('Shanghai', 31.22222, 121.45806, 161.0, 'city'),
 'BER': ('Berlin', 52.52437, 13.41053, 161.0, 'city'),
 'YAL': ('Yalta', 44.50218, 34.16624, 161.0, 'city'),
 'WRO': ('Wrocław', 51.10286, 17.03006, 161.0, 'city'),
 'LVIV': ('Lviv', 49.83826, 24.02324, 161.0, 'city'),
 'WAW': ('Warsaw', 52.22977, 21.01178, 161.0, 'city'),
 'ALA': ('Almaty', 43.25249, 76.9115, 161.0, 'city'),
 'KIROV': ('Kirov', 58.59809, 49.65783, 161.0, 'city'),
 'KROP': ('Kropyvnytskyi', 48.50834, 32.26618, 161.0, 'city'),
 'VAN': ('Vanadzor', 40.8074, 44.49704, 161.0, 'city'),
 'GAN': ('Ganja', 40.68157, 46.36134, 161.0, 'city'),
 'TUR': ('Turukhansk', 65.7968, 87.96766, 161.0, 'city'),
 'KOST': ('Kostino (Turukhansky District)', 65.3225, 87.9778, 161.0, 'city'),
 'KUR': ('Kureika', 66.467, 87.171, 161.0, 'city'),
 'GORKI': ('Gorki Leninskiye', 55.5047, 37.7689, 161.0, 'city'),
 'KREM': ('Moscow Kremlin', 55.7520, 37.6175, 161.0, 'site'),
 'SMOL': ('Smolny Institute', 59.9463, 30.3963, 161.0, 'site'),
 'WINP': ('Winter Palace', 59.9404, 30.3138, 161.0, 'site'),
 'SEVS': ('Seven Sisters (Moscow)', 55.75, 37.60, 161.0, 'site'),
 'BYK': ('Bykivnia', 50.4714, 30.7036, 161.0, 'site'),
 'KURA': ('Kurapaty', 53.9664, 27.6214, 161.0, 'site'),
 'BUT': ('Butovo firing range', 55.5333, 37.5833, 161.0, 'site'),
}

ACT = 'state/government as actor or polity (non-territorial use)'
OFF = 'country in an office title'
PLU = 'plural name of several towns; not resolvable to one place'

# doc -> list of (surface form, {occurrence index: decision}); decision is a key of M
# (toponym), ('I', reason) (ignore span) or None (not a place / covered by a longer span).
# Every occurrence of every listed form must be decided explicitly.
SPEC = {
'001': [
 ('Soviet Union', {0: ('I', OFF), 1: 'SU', 2: ('I', OFF), 3: ('I', OFF), 4: 'SU', 5: ('I', ACT),
                   6: 'SU', 7: 'SU', 8: 'SU', 9: 'SU', 10: 'SU', 11: 'SU', 12: ('I', ACT), 13: 'SU',
                   14: ('I', ACT), 15: ('I', ACT), 16: ('I', ACT), 17: ('I', ACT), 18: ('I', ACT),
                   19: ('I', ACT), 20: 'SU', 21: ('I', ACT), 22: ('I', ACT), 23: 'SU', 24: 'SU',
                   25: ('I', ACT)}),
 ('USSR', {0: ('I', ACT), 1: ('I', ACT), 2: ('I', ACT), 3: 'SU'}),
 ('Russia', {0: 'RU', 1: ('I', ACT)}),
 ('Russian Empire', {0: 'RE'}),
 ('Russian Federation', {0: 'RU', 1: 'RU'}),
 ('Russian SFSR', {0: 'RU'}),
 ('Gori', {0: 'GORI', 1: 'GORI'}),
 ('Tiflis Governorate', {0: 'TFG'}),
 ('Tiflis', {0: None, 1: 'TBS'}),
 ('Kremlin', {0: 'KREM', 1: 'KREM', 2: 'KREM'}),
 ('Moscow Oblast', {0: 'MOB'}),
 ('Moscow', {0: 'MOW', 1: 'MOW', 2: None, 3: 'MOW', 4: 'MOW', 5: 'MOW', 6: 'MOW', 7: 'MOW'}),
 ('Central Europe', {0: 'CEU', 1: 'CEU'}),
 ('Southern Europe', {0: 'SEU'}),
 ('Eastern Europe', {0: 'EEU', 1: 'EEU'}),
 ('Europe', {0: 'EU', 1: None, 2: None, 3: 'EU', 4: None, 5: None, 6: None}),
 ('Ukraine', {0: 'UA', 1: ('I', ACT)}),
 ('Georgia', {0: 'GE', 1: 'GE'}),
 ('Caucasus', {0: 'CAU'}),
 ('Baku', {0: 'BAKU'}),
 ('Siberia', {0: 'SIB', 1: 'SIB'}),
 ('Petrograd', {0: 'SPB', 1: 'SPB'}),
 ('Smolny Institute', {0: 'SMOL'}),
 ('Winter Palace', {0: 'WINP'}),
 ('Tsaritsyn', {0: 'VGG'}),
 ('Gorki', {0: 'GORKI'}),
 ('China', {0: 'CN', 1: None}),          # 1: "Communist Party of China" (organisation name)
 ('Shanghai', {0: 'SHA', 1: 'SHA'}),
 ('Leningrad', {0: 'SPB', 1: 'SPB'}),
 ('Eastern Germany', {0: 'EDE'}),
 ('Germany', {0: 'DE', 1: 'DE', 2: 'DE', 3: None, 4: ('I', ACT), 5: ('I', ACT), 6: ('I', ACT)}),
 ('Great Britain', {0: 'GB'}),
 ('Britain', {0: None, 1: ('I', ACT)}),
 ('France', {0: 'FR', 1: 'FR'}),
 ('Japan', {0: 'JP'}),
 ('United States', {0: 'US'}),
 ('Mexico', {0: 'MX', 1: 'MX'}),
 ('Mongolia', {0: 'MN'}),
 ('Catalonia', {0: 'CAT'}),
 ('Soviet Central Asia', {0: 'CAS'}),
 ('Kazakhstan', {0: 'KZ'}),
 ('Baltic States', {0: 'BAL'}),
 ('Tatarstan', {0: 'TAT'}),
 ('Chechnya', {0: 'CHE'}),
 ('Belorussia', {0: 'BY'}),
 ('German Empire', {0: ('I', ACT)}),
 ('Berlin', {0: 'BER'}),
 ('Yalta', {0: 'YAL'}),
 ('Poland', {0: 'PL'}),
 ('Breslau', {0: 'WRO'}),
 ('Kirov', {i: None for i in range(5)}),   # person (Sergei Kirov) in every occurrence
],
'004': [
 ('Soviet Union', {0: 'SU', 1: 'SU', 2: 'SU', 3: ('I', OFF), 4: 'SU', 5: ('I', ACT), 6: ('I', ACT),
                   7: 'SU', 8: 'SU', 9: 'SU', 10: 'SU', 11: 'SU', 12: 'SU', 13: 'SU', 14: ('I', ACT),
                   15: None,  # "Communist Party of the Soviet Union (CPSU)" as organisation name
                   16: 'SU', 17: ('I', ACT), 18: ('I', ACT), 19: ('I', ACT), 20: 'SU', 21: 'SU',
                   22: ('I', ACT), 23: 'SU', 24: 'SU'}),
 ('USSR', {0: ('I', ACT), 1: 'SU', 2: ('I', ACT)}),
 ('Russia', {0: 'RU', 1: ('I', ACT), 2: ('I', ACT), 3: ('I', ACT), 4: 'RU',
             5: None,  # "Russian Orthodox Church Outside Russia" (organisation name)
             6: ('I', ACT)}),
 ('Saint Petersburg', {0: 'SPB'}),
 ('St. Petersburg', {0: 'SPB', 1: 'SPB'}),
 ('Petrograd', {0: 'SPB', 1: 'SPB', 2: 'SPB'}),
 ('Kostino', {0: 'KOST'}),
 ('Kureika', {0: 'KUR'}),
 ('Turukhansk', {0: 'TUR'}),
 ('Siberia', {0: 'SIB', 1: 'SIB', 2: 'SIB', 3: 'SIB'}),
 ('Switzerland', {0: 'CH'}),
 ('Smolny Institute', {0: 'SMOL', 1: 'SMOL'}),
 ('Winter Palace', {0: 'WINP'}),
 ('Tsaritsyn', {0: 'VGG'}),
 ('Soviet Ukraine', {0: 'UA'}),
 ('Ukraine', {0: 'UA', 1: 'UA', 2: 'UA', 3: 'UA', 4: None}),
 ('Poland', {0: ('I', ACT), 1: 'PL', 2: 'PL'}),
 ('Lviv', {0: 'LVIV', 1: 'LVIV', 2: 'LVIV'}),
 ('Warsaw', {0: 'WAW', 1: 'WAW', 2: 'WAW'}),
 ('Seven Sisters', {0: 'SEVS'}),
 ('Moscow', {0: 'MOW', 1: 'MOW', 2: 'MOW'}),
 ('Caucasus', {0: 'CAU', 1: 'CAU'}),
 ('Europe', {0: 'EU'}),
 ('Soviet Georgia', {0: 'GE'}),
 ('Georgia', {0: 'GE', 1: 'GE', 2: None, 3: 'GE'}),
 ('Gorki', {0: 'GORKI'}),
 ('Alma-ata', {0: 'ALA'}),
 ('Germany', {0: 'DE'}),
 ('Great Britain', {0: 'GB'}),
 ('France', {0: 'FR'}),
 ('Japan', {0: 'JP'}),
 ('United States', {0: 'US'}),
 ('Mexico', {0: 'MX', 1: 'MX', 2: 'MX', 3: 'MX'}),
 ('Leningrad', {0: 'SPB', 1: 'SPB'}),
 ('Kirov', {**{i: None for i in range(16)}, 12: 'KIROV'}),  # only #12 ("The cities of Kirov") is the city
 ('Kirovohrad', {0: 'KROP'}),
 ('Kirovakan', {0: 'VAN', 1: 'VAN'}),
 ('Kirovabad', {0: 'GAN', 1: 'GAN'}),
 ('Kirovsks', {0: ('I', PLU)}),
 ('Vanadzor', {0: 'VAN'}),
 ('Ganja', {0: 'GAN'}),
 ('Bykivnia', {0: 'BYK'}),
 ('Kurapaty', {0: 'KURA'}),
 ('Butovo', {0: 'BUT'}),
 ('Mongolia', {0: 'MN'}),
 ('Catalonia', {0: 'CAT'}),
 ('Soviet Central Asia', {0: 'CAS'}),
 ('Kazakhstan', {0: 'KZ'}),
 ('Baltic States', {0: 'BAL'}),
 ('Tatarstan', {0: 'TAT'}),
 ('Chechnya', {0: 'CHE'}),
],
}

def build(doc):
    path = SEEDS[doc]
    text = open(path, encoding='utf-8').read()
    stem = path.rsplit('/', 1)[1][:-4]
    tops, igns = [], []
    for form, dec in SPEC[doc]:
        occ = list(re.finditer(r'(?<!\w)' + re.escape(form) + r'(?!\w)', text))
        assert len(occ) == len(dec), (doc, form, len(occ), sorted(dec))
        for i, m in enumerate(occ):
            d = dec[i]
            if d is None:
                continue
            if isinstance(d, tuple):
                igns.append({'start': m.start(), 'end': m.end(), 'text': m.group(), 'reason': d[1]})
            else:
                name, lat, lon, tol, kind = M[d]
                tops.append({'start': m.start(), 'end': m.end(), 'text': m.group(), 'name': name,
                             'lat': lat, 'lon': lon, 'tolerance_km': tol, 'kind': kind})
    tops.sort(key=lambda x: x['start']); igns.sort(key=lambda x: x['start'])
    allspans = sorted([(x['start'], x['end'], 'T') for x in tops] + [(x['start'], x['end'], 'I') for x in igns])
    for a, b in zip(allspans, allspans[1:]):
        assert a[1] <= b[0], ('overlap', a, b)
    for x in tops + igns:
        assert text[x['start']:x['end']] == x['text']
    obj = {'doc': stem, 'text': text, 'toponyms': tops, 'ignore_spans': igns}
    out = f'/work/main/benchmarks/gold/toponyms_{doc}.jsonl'
    with open(out, 'w', encoding='utf-8') as f:
        f.write(json.dumps(obj, ensure_ascii=False) + '\n')
    return obj

if __name__ == '__main__':
    for doc in SPEC:
        o = build(doc)
        print(doc, len(o['toponyms']), len(o['ignore_spans']))
