"""The demo's English posts, oldest first: questions, how-tos, release notes and stories."""

from __future__ import annotations

from network.demo.content import Thread as T

THREADS_EN: tuple[T, ...] = (
    T(
        "brewbird",
        "Firmware 4.6 for Brewbird One and Duo",
        "Rolling out over the next three days:\n\n"
        "- **Pre-infusion** is now on by default (4 s at 3 bar).\n"
        "- Steam boiler reaches temperature about 40 s faster on the Duo.\n"
        "- Descaling reminders follow the water hardness you set, not a fixed calendar.\n"
        "- Fixed: the clock drifting after a power cut.\n\n"
        "The machine updates itself at night when it is idle and connected.",
        comments=(
            ("raj_patel", "Updated last night, no issues so far."),
            ("jake_miller", "Does the pre-infusion default override my own profiles?"),
            ("tom_becker", "@jake_miller no, your saved profiles stay exactly as they were."),
        ),
    ),
    T(
        "jake_miller",
        "Shot time jumped from 28 s to 40 s after the update",
        "Same beans, same grind (Mill at 14), same 18 g dose. Since 4.6 my shots run "
        "40 seconds and taste bitter. Did something change in the pump?",
        comments=(
            (
                "tom_becker",
                "@jake_miller the timer now counts pre-infusion too. Your extraction "
                "is the same, the clock just starts earlier. Settings → Display → "
                "'Start timer at full pressure' gives you the old behaviour.",
            ),
            ("jake_miller", "That was it, thanks @tom_becker! Bitterness was in my head then."),
            ("lena_fischer", "Happens to all of us. Taste first, timer second :)"),
        ),
    ),
    T(
        "hannah_wright",
        "Descaling reminder every two weeks: too often?",
        "My One asks for descaling every 14 days. I use filtered water. Is that normal?",
        comments=(
            (
                "lena_fischer",
                "@hannah_wright sounds like the water hardness is still on the factory "
                "setting (hard). Test your filtered water with the strip in the box and set "
                "it under Settings → Water. With soft water you will see it every 2-3 months.",
            ),
            ("hannah_wright", "Strip says 4 °dH. Changed it, now it says 74 days. Thanks!"),
        ),
    ),
    T(
        "lena_fischer",
        "How to dial in a new bag in four shots",
        "A method I teach in every workshop:\n\n"
        "1. Start with 18 g in, 36 g out, and note the time.\n"
        "2. Sour and fast? Grind two steps finer.\n"
        "3. Bitter and slow? One step coarser.\n"
        "4. Once it tastes balanced, adjust the ratio (1:2 to 1:2.5) rather than the grind.\n\n"
        "Change **one** thing at a time and write it down. The shot log in the app does "
        "this for you.",
        comments=(
            ("grace_kim", "Saving this. I always change three things at once."),
            ("omar_haddad", "Good advice. For very light roasts I'd start at 1:2.3."),
            ("lena_fischer", "@omar_haddad agreed, light roasts like a longer ratio."),
        ),
    ),
    T(
        "raj_patel",
        "Warm up at 6:30 on weekdays only?",
        "Can the machine warm up on a schedule but skip weekends? I only see a daily timer.",
        comments=(
            (
                "priya_nair",
                "@raj_patel not yet in 3.11, but weekday schedules are in app 3.12, "
                "which ships next week. I'll post here when it is out.",
            ),
        ),
    ),
    T(
        "ben_carter",
        "One or Duo for an office of 40?",
        "We have about 40 people, maybe 60 coffees a day, mostly milk drinks between 9 "
        "and 11. Is one Duo enough, or should we get two Ones?",
        comments=(
            (
                "lena_fischer",
                "@ben_carter for milk drinks the Duo is the better choice: it brews and steams "
                "at the same time. 60 drinks a day is comfortable for one Duo.",
            ),
            ("sofia_rossi", "We do 150 a day on two Duos in the café, so you'll be fine with one."),
            ("ben_carter", "Thank you both, ordering a Duo."),
        ),
    ),
    T(
        "grace_kim",
        "Wi-Fi pairing keeps failing",
        "The app finds the machine but pairing stops at 80 % every time. Router is new.",
        comments=(
            (
                "tom_becker",
                "@grace_kim the machines speak 2.4 GHz only. If your router uses one name for "
                "2.4 and 5 GHz, the phone may hand over the 5 GHz details. Turning 5 GHz off "
                "for a minute during pairing usually does it.",
            ),
            ("grace_kim", "Worked on the first try. Maybe mention it in the app?"),
            ("priya_nair", "@grace_kim good point, added to the pairing screen for 3.12."),
        ),
    ),
    T(
        "chloe_martin",
        "Grind setting for a light Ethiopian on the Mill?",
        "I have a washed Yirgacheffe roasted very light. Where should I start on the Mill?",
        comments=(
            ("omar_haddad", "Start around 10 and go finer. Rest the beans at least 10 days."),
            (
                "lena_fischer",
                "@chloe_martin and raise the brew temperature to 94 °C for light roasts.",
            ),
            ("chloe_martin", "10 with 94 °C was lovely. Peach and bergamot!"),
        ),
    ),
    T(
        "brewbird",
        "Brewbird app 3.12: weekday schedules",
        "New in the app:\n\n"
        "- **Schedules per weekday**, with a separate time for weekends.\n"
        "- Pairing explains the 2.4 GHz requirement up front.\n"
        "- The shot log exports to CSV.\n\n"
        "Update from the App Store or Google Play.",
        comments=(
            ("raj_patel", "Set up 6:30 weekdays and 8:30 weekends. Perfect, thanks @priya_nair."),
            ("emily_chen", "The new schedule screen is really clean."),
        ),
    ),
    T(
        "hannah_wright",
        "Oat milk foams but never gets silky",
        "Cow's milk is fine. Oat milk turns into big bubbles. What am I doing wrong?",
        comments=(
            (
                "lena_fischer",
                "@hannah_wright use a barista edition oat milk, start cold from the fridge and "
                "stop at 55 °C: plant milks break down when they get hotter.",
            ),
            ("hannah_wright", "Stopping earlier made all the difference."),
        ),
    ),
    T(
        "lucas_meyer",
        "Is there an API for the machine?",
        "I'd like to start the warm-up from Home Assistant when my alarm goes off.",
        members_only=True,
        comments=(
            (
                "priya_nair",
                "@lucas_meyer there is a local API in beta. Join the beta programme in the "
                "app (Settings → Labs) and you will get the documentation.",
            ),
            ("lucas_meyer", "Joined. Will report back."),
        ),
    ),
    T(
        "sofia_rossi",
        "Error E12 on start-up",
        "One of our Duos shows E12 every morning, then works after a restart.",
        members_only=True,
        comments=(
            (
                "tom_becker",
                "@sofia_rossi E12 means the flow meter saw too little water at start. Most "
                "often a clogged inlet filter. Can you check the small filter at the tank "
                "connector?",
            ),
            ("sofia_rossi", "It was full of scale. Cleaned it, no E12 for three days now."),
            ("tom_becker", "Great. We'll make the message point to the filter."),
        ),
    ),
    T(
        "emily_chen",
        "Does the app work without an account?",
        "I'd rather not create yet another account just to set a temperature.",
        comments=(
            (
                "priya_nair",
                "@emily_chen yes: choose 'Use without account' on the first screen. You "
                "lose cloud backup of your profiles and remote start, nothing else.",
            ),
        ),
    ),
    T(
        "tom_becker",
        "Backflushing the Duo, step by step",
        "Once a week for home use, daily in a café:\n\n"
        "1. Insert the blind basket and add half a cleaning tablet.\n"
        "2. Run the *Backflush* programme from the menu (10 cycles).\n"
        "3. Remove the tablet residue and run it again with clean water.\n"
        "4. Pull one shot and throw it away.\n\n"
        "The machine counts shots and reminds you, so you don't need a calendar.",
        comments=(
            ("ben_carter", "Printed this and taped it next to the machine."),
            ("sofia_rossi", "We do it at closing every night. Takes five minutes."),
        ),
    ),
    T(
        "jake_miller",
        "Puck prep: does WDT really matter?",
        "I started stirring the grounds with a needle tool and my shots got more even. "
        "Placebo or real?",
        comments=(
            ("omar_haddad", "Real. Clumps cause channeling, the needle breaks them."),
            (
                "lena_fischer",
                "@jake_miller real, and the shot log should show less variation in "
                "flow. Compare a week before and after.",
            ),
        ),
    ),
    T(
        "sofia_rossi",
        "Our café's cleaning routine",
        "What works for us with two Duos:\n\n"
        "- **Every hour:** purge and wipe the steam wands.\n"
        "- **Every evening:** backflush with detergent, soak portafilters and baskets.\n"
        "- **Every week:** clean the shower screens, empty and wash the drip trays.\n"
        "- **Every month:** replace the water filter cartridge.",
        comments=(
            ("ben_carter", "Stealing the hourly wand rule for our office."),
            ("marta_silva", "Thanks for sharing, @sofia_rossi! Pinning this in our café guide."),
        ),
    ),
    T(
        "raj_patel",
        "Two people, two profiles?",
        "My partner likes a ristretto, I like a long shot. Can we each have our own presets "
        "in the app?",
        comments=(
            (
                "priya_nair",
                "@raj_patel household profiles arrive in 3.13: each person gets their own "
                "presets and shot log on the same machine.",
            ),
        ),
    ),
    T(
        "brewbird",
        "Firmware 4.7",
        "- Flow meter errors (E12) now tell you to check the inlet filter.\n"
        "- New *Eco* mode: the Duo's steam boiler sleeps when unused for 30 minutes.\n"
        "- Temperature stability improved by 0.3 °C during back-to-back shots.\n"
        "- Fixed: rare double beep after descaling.",
        comments=(
            ("sofia_rossi", "Eco mode is great for our slow afternoons."),
            ("hannah_wright", "The double beep drove my cat crazy. Thank you!"),
        ),
    ),
    T(
        "ben_carter",
        "Drip tray 'full' when it is empty",
        "Our Duo keeps saying the drip tray is full right after emptying it.",
        comments=(
            (
                "tom_becker",
                "@ben_carter the float sometimes sticks when coffee oil builds up. Wash the "
                "float with warm soapy water; if it continues, support will send a new one.",
            ),
            ("ben_carter", "Washing fixed it. Someone had been pouring milk in there..."),
        ),
    ),
    T(
        "grace_kim",
        "How long should the One warm up?",
        "I switch it on and brew right away when the light turns green. Too soon?",
        comments=(
            (
                "lena_fischer",
                "@grace_kim the boiler is ready at green, but the group head needs about "
                "8 minutes more. Pull a blank shot to warm it faster.",
            ),
        ),
    ),
    T(
        "omar_haddad",
        "A roaster's view on freshness",
        "Fresh is good, but **too fresh** is a common problem: beans release CO₂ for days "
        "after roasting, and that gas pushes water away from the coffee. For espresso I "
        "rest our light roasts 10-14 days, medium roasts 7 days.",
        comments=(
            ("jake_miller", "Explains why my 'roasted yesterday' bag was so hard to dial in."),
            ("chloe_martin", "Quoting this in my next article, if you don't mind!"),
            ("omar_haddad", "@chloe_martin go ahead."),
        ),
    ),
    T(
        "lucas_meyer",
        "My Home Assistant setup with the local API",
        "For the beta testers: I poll `/status` every 30 s and call `/warmup` from an "
        "automation that fires 20 minutes before my alarm. Boiler temperature goes into a "
        "graph. The token comes from Settings → Labs → Local API.",
        members_only=True,
        comments=(
            ("raj_patel", "Doing the same now, thanks for the write-up."),
            (
                "priya_nair",
                "@lucas_meyer lovely. Please poll at most every 10 s, and we'll add push "
                "events in the next beta.",
            ),
        ),
    ),
    T(
        "chloe_martin",
        "Iced espresso drinks for summer",
        "Three favourites from my kitchen:\n\n"
        "- **Espresso tonic:** tonic over ice, a double shot poured slowly on top.\n"
        "- **Shakerato:** a double shot, ice and a little syrup, shaken hard.\n"
        "- **Iced oat latte:** shot over ice, cold oat milk, a pinch of cinnamon.",
        comments=(
            ("emily_chen", "The tonic one looks so pretty in a tall glass."),
            ("hannah_wright", "Shakerato after a night shift, yes please."),
        ),
    ),
    T(
        "hannah_wright",
        "Loud pump after descaling",
        "After the descaling programme the pump is much louder than before.",
        comments=(
            (
                "tom_becker",
                "@hannah_wright that's air in the system. Run two flushes of the hot water "
                "outlet, 20 seconds each, and it should quiet down.",
            ),
            ("hannah_wright", "Quiet again. Thank you!"),
        ),
    ),
    T(
        "jake_miller",
        "One year with the Brewbird One",
        "What I'd tell a new owner:\n\n"
        "- Buy a decent grinder before any accessory.\n"
        "- Set the water hardness on day one.\n"
        "- Use the shot log: patterns appear after a week.\n\n"
        "Zero breakdowns, one firmware surprise (see my timer post).",
        comments=(
            ("grace_kim", "Bookmarking this."),
            ("marta_silva", "Happy anniversary, @jake_miller!"),
        ),
    ),
    T(
        "brewbird",
        "Mill firmware 1.4",
        "- Grind-by-weight is more accurate with dark roasts (±0.1 g).\n"
        "- Quieter motor start.\n"
        "- The display dims after five minutes.",
        comments=(("chloe_martin", "Noticeably quieter in the morning, thanks."),),
    ),
    T(
        "ben_carter",
        "Office coffee: the numbers after six months",
        "We replaced a capsule machine. Cost per cup went from 0.62 to 0.24, the recycling "
        "bin is empty, and meeting attendance at 9:30 is up (correlation, not causation).",
        members_only=True,
        comments=(
            ("marta_silva", "Would you let us quote this in a case study, @ben_carter?"),
            ("ben_carter", "Happy to, let's talk."),
        ),
    ),
    T(
        "emily_chen",
        "My little coffee corner",
        "A Brewbird One, the Mill, a small scale and two cups I made at a pottery class. "
        "Everything else lives in a drawer. Simple setups make me brew more often.",
        comments=(("lena_fischer", "Handmade cups make every coffee taste better."),),
    ),
    T(
        "brewbird",
        "Brewbird app 3.13: household profiles",
        "Each person in a household can now have:\n\n"
        "- their own presets and favourite drinks,\n"
        "- their own shot log,\n"
        "- their own schedule.\n\n"
        "Add people under Settings → Household.",
        comments=(
            ("raj_patel", "Finally no more arguing over the ristretto preset."),
            ("priya_nair", "@raj_patel that was the exact story behind the feature."),
        ),
    ),
    T(
        "priya_nair",
        "Beta feedback thread: firmware 4.8",
        "If you are in the beta, please post what you see here: what works, what breaks, "
        "and your machine model. Known issue: the Eco mode timer resets after a profile change.",
        members_only=True,
        comments=(
            ("lucas_meyer", "Push events work, Home Assistant reacts within a second."),
            ("raj_patel", "Duo, no problems in three days of use."),
            ("tom_becker", "@lucas_meyer thanks, that's the part I was most nervous about."),
        ),
    ),
    T(
        "chloe_martin",
        "Can I take the One to the US (110 V)?",
        "Moving to Boston for a year. Will the European One work there with an adapter?",
        comments=(
            (
                "marta_silva",
                "@chloe_martin unfortunately not: the heater is built for 230 V and an "
                "adapter won't change the voltage. Support can help you sell or store yours.",
            ),
        ),
    ),
    T(
        "marta_silva",
        "What's your daily drink?",
        "Curious what this community actually drinks. Mine: a flat white at 8 and an "
        "espresso after lunch.",
        comments=(
            ("sofia_rossi", "A cortado between rushes."),
            ("grace_kim", "Latte with too much sugar, sorry baristas."),
            ("omar_haddad", "Filter. I know. On an espresso forum."),
            ("hannah_wright", "Flat white, any time of day or night."),
        ),
    ),
    T(
        "grace_kim",
        "Student budget: was the One worth it?",
        "I did the maths: 3 café lattes a week cost me more than the One in 14 months. "
        "It's been 10 months. Almost there!",
        comments=(("jake_miller", "And you learned a skill on the way."),),
    ),
    T(
        "raj_patel",
        "Decaf that doesn't taste like cardboard?",
        "Looking for a decaf for evenings. Everything I tried tastes flat.",
        comments=(
            (
                "omar_haddad",
                "Look for sugarcane (EA) process decafs from Colombia. Sweet and chocolatey.",
            ),
            ("lena_fischer", "@raj_patel and grind a little finer than your usual coffee."),
        ),
    ),
    T(
        "lucas_meyer",
        "Water filters: in-tank cartridge or pitcher?",
        "Which one is better for the machine? Our water is 12 °dH.",
        comments=(
            (
                "lena_fischer",
                "@lucas_meyer at 12 °dH the in-tank cartridge is easier: it works on every "
                "refill and the machine reminds you to change it. Set hardness to 'soft' "
                "while the cartridge is in.",
            ),
        ),
    ),
    T(
        "raj_patel",
        "Bug: shot counter shows double",
        "After switching profiles, the counter in the app shows every shot twice.",
        members_only=True,
        comments=(
            ("priya_nair", "@raj_patel thanks, reproduced. The fix ships in 3.13.1."),
            ("raj_patel", "Confirmed fixed in 3.13.1."),
        ),
    ),
    T(
        "marta_silva",
        "Introduce yourself!",
        "New here? Tell us who you are, which machine you use and what you'd like to learn.",
        members_only=True,
        comments=(
            ("emily_chen", "UX designer, Brewbird One, want to learn latte art."),
            ("lucas_meyer", "Engineer, One plus Home Assistant, want to learn about water."),
            ("omar_haddad", "Roaster from Bean Republic, here to help with beans."),
        ),
    ),
    T(
        "omar_haddad",
        "Latte art: pouring a tulip",
        "Three pushes, then pull through:\n\n"
        "1. Pour high until the cup is half full.\n"
        "2. Drop the pitcher close, push a small circle, stop.\n"
        "3. Push the second one into the first, then the third.\n"
        "4. Lift and pull through the middle.",
        members_only=True,
        comments=(
            ("emily_chen", "My tulips look like onions. Practising!"),
            ("lena_fischer", "@emily_chen onions are tulips in training."),
        ),
    ),
    T(
        "ben_carter",
        "Cleaning tablets: branded or generic?",
        "Are generic backflush tablets safe for the Duo?",
        comments=(
            (
                "tom_becker",
                "@ben_carter any tablet for espresso machines with a three-way valve is fine; "
                "avoid ones with chlorine.",
            ),
        ),
    ),
    T(
        "hannah_wright",
        "A night-shift coffee routine",
        "Schedule the machine to warm up at 17:30, a flat white before leaving, and nothing "
        "after 2 am. Sleep after a night shift is hard enough.",
        comments=(("marta_silva", "Thank you for everything you do, @hannah_wright."),),
    ),
    T(
        "jake_miller",
        "Pressure profiling presets you love",
        "Share yours! Mine for light roasts: 6 s pre-infusion at 2 bar, ramp to 8 bar, "
        "decline to 6 bar for the last third.",
        members_only=True,
        comments=(
            ("omar_haddad", "Similar, but I stay at 3 bar for 8 s for very light roasts."),
            ("lena_fischer", "Declining profiles are great for fruity coffees."),
        ),
    ),
    T(
        "tom_becker",
        "Firmware 4.8 beta: looking for testers",
        "Beta 4.8 adds push events for the local API and a new descaling programme that "
        "uses 30 % less water. Join under Settings → Labs in the app.",
        members_only=True,
        comments=(("lucas_meyer", "Signed up."), ("raj_patel", "Me too.")),
    ),
    T(
        "sofia_rossi",
        "Warranty when used in a café?",
        "Does the warranty still apply when the Duo works 12 hours a day in a café?",
        members_only=True,
        comments=(
            (
                "marta_silva",
                "@sofia_rossi yes: the Duo has a commercial warranty of two years, as long "
                "as the backflush log shows regular cleaning. Support can confirm for your "
                "serial number by email.",
            ),
        ),
    ),
    T(
        "emily_chen",
        "Feature request: shot log notes",
        "I'd love a free-text note on each shot ('new bag', 'too sour') right in the log.",
        members_only=True,
        comments=(
            ("priya_nair", "@emily_chen on our list. Would a few quick tags work too?"),
            ("emily_chen", "Tags plus an optional note would be perfect."),
        ),
    ),
    T(
        "lena_fischer",
        "Making a flat white at home",
        "A flat white is a double ristretto with thin, glossy milk:\n\n"
        "- 18 g in, 30 g out.\n"
        "- Stretch the milk only for 2-3 seconds, then just spin it.\n"
        "- 150 ml cup, pour low and fast.",
        comments=(("hannah_wright", "The 2-3 seconds rule changed my flat whites."),),
    ),
    T(
        "marta_silva",
        "Meetup recap: Berlin",
        "Thanks to the 35 of you who came to our first meetup! Lena ran a latte art "
        "session, Tom answered firmware questions for an hour, and we learned a lot about "
        "what to build next. Next stop: Lisbon, hosted by Café Piccolo.",
        comments=(
            ("sofia_rossi", "We can't wait to host you!"),
            ("lena_fischer", "Best crowd. Thank you all."),
        ),
    ),
    T(
        "chloe_martin",
        "Which milk jug size for one cup?",
        "I only ever make one drink at a time. 350 ml or 600 ml jug?",
        comments=(
            (
                "lena_fischer",
                "@chloe_martin 350 ml. Fill it to just below the spout for one cappuccino.",
            ),
        ),
    ),
    T(
        "grace_kim",
        "Is it OK to leave the machine on all day?",
        "I study at home and drink coffee all day. Should I switch it off between cups?",
        comments=(
            (
                "tom_becker",
                "@grace_kim leaving it on is fine; it keeps the boiler warm with very little "
                "power. Eco mode in 4.7 also lowers the temperature when idle.",
            ),
        ),
    ),
    T(
        "raj_patel",
        "CSV export is great for nerds",
        "Exported 600 shots and plotted dose against time. My grinder drifts finer over "
        "the week as the beans age. Data!",
        members_only=True,
        comments=(
            ("jake_miller", "Please share the notebook."),
            ("priya_nair", "@raj_patel this is exactly why we built the export."),
        ),
    ),
    T(
        "emily_chen",
        "Steam wand spits water at the start",
        "Every time I open the steam valve, it spits hot water for a second before the "
        "steam comes. Is something broken?",
        comments=(
            (
                "tom_becker",
                "@emily_chen that's condensed water in the wand, completely normal. Purge it "
                "into the drip tray for two seconds before steaming and again after.",
            ),
            ("emily_chen", "Good to know, I was worried!"),
        ),
    ),
)
