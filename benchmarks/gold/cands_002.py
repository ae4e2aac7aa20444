import re, json
p='/work/shared/seeds/002_84889b0b05e14acd.txt'
t=open(p,encoding='utf-8').read()
forms = """Eastern and Central Europe|Eastern Europe|Central Europe|Western Europe|Europe|Soviet Union|USSR|Soviet Ukraine|Ukraine|Soviet Georgia|Georgia|Nazi Germany|Eastern Germany|East Germany|German Democratic Republic|West Berlin|Germany|Poland|Finland|Baltic States|Baltic states|Baltics|Bessarabia|Bukovina|Gori|Saint Petersburg|Petrograd|Leningrad|Caucasus Mountains|Caucasus|Baku|Siberia|Russian Federation|Western Russia|Russia|Tsaritsyn|Stalingrad|Lviv|Warsaw|Moscow|Katyn|Yalta|Gorki|Great Britain|Britain|France|Japan|United States|USA|U\.S\.|America|Mexico|Mongolia|Central Asia|Tatarstan|Chechnya|Latvia|Estonia|Romania|Lithuania|Brest|Karelia|Moldavian Soviet Socialist Republic|Italy|Berlin|Kursk|Tehran|Belorussia|Belarus|Reichstag|Oder|Neisse|Vistula|Manchuria|Budapest|Hungary|Bulgaria|Czechoslovakia|Potsdam|Sofia|Greece|Albania|Yugoslavia|Asia|North Korea|South Korea|Korean peninsula|Korea|China|Taiwan|Israel|Kuntsevo|Kremlin Wall Necropolis|Kremlin|Lenin's Mausoleum|Mausoleum|Grutas Park|Vilnius|Sachsenhausen|Novokuznetsk|Usovo|Zuvalova|Lipki|Semyonovskaya|Sochi|Gagri|Abkhasia|Novy Alon|Sukhumi|Valdai Hills|Lake Mitsa|Zelyony Myss|Black Sea|Lebanon Mountains|Kazan|Paris|Munich|Versailles|Smolny Institute|Winter Palace|Blizhny dacha|Seven Sisters of Moscow""".split('|')
pat = re.compile(r'(?<![\w])(' + '|'.join(sorted(forms,key=len,reverse=True)) + r')(?![\w])')
occ=[(m.start(),m.end(),m.group()) for m in pat.finditer(t)]
if __name__=='__main__':
    for i,(s,e,w) in enumerate(occ):
        ctx=t[max(0,s-75):s].replace('\n','/')+'[['+w+']]'+t[e:e+45].replace('\n','/')
        print(i,s,ctx)
