"""The demo community's cast: Brewbird, a maker of smart espresso machines, its staff and customers.

The posts live in content_en.py and content_ru.py; the pinned announcement, written
in both languages, is here. Every address is under a domain reserved for examples
(RFC 2606), so no mail can reach a real person.
"""

from __future__ import annotations

from dataclasses import dataclass

from network.models import Role

COMPANY = "Brewbird"
STAFF_DOMAIN = "brewbird.example"
#: The member whose presence means the demo was seeded here already.
MARKER_HANDLE = "brewbird"


@dataclass(frozen=True)
class Person:
    handle: str
    name: str
    email: str
    role: Role
    language: str  # "en" or "ru": what they write in and read the site in
    title: str
    company: str
    bio: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Thread:
    """A post and the conversation under it, comments as (handle, text) in order."""

    author: str
    title: str | None
    body: str
    members_only: bool = False
    comments: tuple[tuple[str, str], ...] = ()
    pinned_days: int | None = None  # an announcement pinned for this many days from today


def _staff(handle: str, name: str, email: str, language: str, title: str, bio: str) -> Person:
    return Person(
        handle, name, f"{email}@{STAFF_DOMAIN}", Role.employee, language, title, COMPANY, bio
    )


CAST: tuple[Person, ...] = (
    # The official account comes first: it is the marker of a seeded demo.
    _staff(
        "brewbird",
        "Brewbird",
        "hello",
        "en",
        "Official account",
        "Release notes, announcements and the occasional coffee fact from the Brewbird team.",
    ),
    Person(
        "marta_silva",
        "Marta Silva",
        f"marta@{STAFF_DOMAIN}",
        Role.admin,
        "en",
        "Community Manager",
        COMPANY,
        "I run this community. Ask me anything about the forum, meetups or where to find help."
        "\n\nBefore Brewbird: six years behind a café counter in Porto.",
    ),
    _staff(
        "tom_becker",
        "Tom Becker",
        "tom",
        "en",
        "Firmware Engineer",
        "I write the code that decides how hot your water is. Bugs in 4.x are probably mine.",
    ),
    _staff(
        "priya_nair",
        "Priya Nair",
        "priya",
        "en",
        "Product Manager, Brewbird App",
        "Schedules, shot logs and household profiles. Tell me what the app gets wrong.",
    ),
    _staff(
        "lena_fischer",
        "Lena Fischer",
        "lena",
        "en",
        "Coffee Specialist and Barista Trainer",
        "SCA-certified trainer. I help you dial in, steam milk and keep the machine happy.",
    ),
    _staff(
        "anna_kovaleva",
        "Анна Ковалёва",
        "anna",
        "ru",
        "Руководитель службы заботы о клиентах",
        "Отвечаю за то, чтобы на каждый вопрос здесь был ответ. Пишите, если что-то не так.",
    ),
    _staff(
        "dmitry_orlov",
        "Дмитрий Орлов",
        "dmitry",
        "ru",
        "Инженер поддержки",
        "Прошивки, Wi-Fi, приложение и загадочные коды ошибок. Чиню удалённо.",
    ),
    _staff(
        "igor_sokolov",
        "Игорь Соколов",
        "igor",
        "ru",
        "Инженер-конструктор",
        "Проектирую бойлеры и помпы. Если что-то шумит или капает, зовите.",
    ),
    Person(
        "sergey_volkov",
        "Сергей Волков",
        "sergey.volkov@example.net",
        Role.moderator,
        "ru",
        "Владелец кофейни, модератор сообщества",
        "Кофейня «Лесная, 5»",
        "Варю кофе с 2012 года, с Brewbird Duo с первой партии. Помогаю следить за порядком.",
    ),
    Person(
        "jake_miller",
        "Jake Miller",
        "jake.miller@example.com",
        Role.customer,
        "en",
        "Software Developer",
        "Northwind Labs",
        "Home barista since 2019. Brewbird One + Mill. I log every shot, yes really.",
        ("https://example.com/jake",),
    ),
    Person(
        "sofia_rossi",
        "Sofia Rossi",
        "sofia@example.org",
        Role.customer,
        "en",
        "Owner",
        "Café Piccolo, Lisbon",
        "Two Brewbird Duos, forty regulars and one very old cat.",
    ),
    Person(
        "ben_carter",
        "Ben Carter",
        "ben.carter@example.com",
        Role.customer,
        "en",
        "Office Manager",
        "Harbor & Finch Architects",
        "I keep 45 architects caffeinated. The Duo in our kitchen is the most popular colleague.",
    ),
    Person(
        "chloe_martin",
        "Chloe Martin",
        "chloe@example.org",
        Role.customer,
        "en",
        "Food Writer",
        "Independent",
        "Recipes, café reviews and far too many iced drinks.",
        ("https://example.org/chloe-cooks",),
    ),
    Person(
        "raj_patel",
        "Raj Patel",
        "raj.patel@example.com",
        Role.customer,
        "en",
        "Data Engineer",
        "Fabrikam",
        "Two coffees a day, both logged in the app. Happy to test betas.",
    ),
    Person(
        "emily_chen",
        "Emily Chen",
        "emily.chen@example.net",
        Role.customer,
        "en",
        "UX Designer",
        "Contoso",
        "I notice every pixel, in apps and in latte art.",
    ),
    Person(
        "lucas_meyer",
        "Lucas Meyer",
        "lucas@example.net",
        Role.customer,
        "en",
        "Mechanical Engineer",
        "Tailspin Toys",
        "Tinkerer. My Brewbird talks to Home Assistant and my grinder has a scale under it.",
    ),
    Person(
        "hannah_wright",
        "Hannah Wright",
        "hannah.w@example.com",
        Role.customer,
        "en",
        "ICU Nurse",
        "City General Hospital",
        "Night shifts run on flat whites.",
    ),
    Person(
        "omar_haddad",
        "Omar Haddad",
        "omar@example.org",
        Role.customer,
        "en",
        "Head Roaster",
        "Bean Republic Roasters",
        "I roast light and I will tell you why. Ask me about resting times.",
        ("https://example.org/bean-republic",),
    ),
    Person(
        "grace_kim",
        "Grace Kim",
        "grace.kim@example.com",
        Role.customer,
        "en",
        "Student",
        "University of Westbrook",
        "Saved for a year for my Brewbird One. Worth it.",
    ),
    Person(
        "olga_ivanova",
        "Ольга Иванова",
        "olga.ivanova@example.net",
        Role.customer,
        "ru",
        "Главный бухгалтер",
        "ООО «Северный ветер»",
        "Пью капучино и считаю, сколько экономлю на кофейнях.",
    ),
    Person(
        "alexey_smirnov",
        "Алексей Смирнов",
        "alexey.smirnov@example.com",
        Role.customer,
        "ru",
        "Backend-разработчик",
        "Fabrikam",
        "Автоматизирую всё, до чего дотянусь, включая кофемашину.",
        ("https://example.com/alexey",),
    ),
    Person(
        "maria_kuznetsova",
        "Мария Кузнецова",
        "maria@example.org",
        Role.customer,
        "ru",
        "Владелица",
        "Кофейня «Зерно»",
        "Открыла кофейню в 2022 году. Два Duo, одна мельница и очередь по утрам.",
    ),
    Person(
        "nikolai_popov",
        "Николай Попов",
        "n.popov@example.net",
        Role.customer,
        "ru",
        "Инженер-электрик",
        "Энергосбыт",
        "Разбираю всё, что можно разобрать. Brewbird One пока не разбирал.",
    ),
    Person(
        "ekaterina_morozova",
        "Екатерина Морозова",
        "katya.morozova@example.com",
        Role.customer,
        "ru",
        "Дизайнер интерфейсов",
        "Студия «Контур»",
        "Люблю красивые вещи и молочные напитки.",
    ),
    Person(
        "pavel_lebedev",
        "Павел Лебедев",
        "pavel.lebedev@example.org",
        Role.customer,
        "ru",
        "Офис-менеджер",
        "Группа компаний «Меридиан»",
        "Отвечаю за кофе для 25 человек. Считаю таблетки для чистки.",
    ),
    Person(
        "irina_novikova",
        "Ирина Новикова",
        "irina.n@example.net",
        Role.customer,
        "ru",
        "Бариста",
        "Кофейня «Зерно»",
        "Чемпионка города по латте-арту 2023 года. Учу рисовать сердечки.",
    ),
    Person(
        "artem_fedorov",
        "Артём Фёдоров",
        "artem.fedorov@example.com",
        Role.customer,
        "ru",
        "Студент",
        "Политехнический университет",
        "Варю кофе соседям по общежитию. Копил на One полгода.",
    ),
    Person(
        "natalia_pavlova",
        "Наталья Павлова",
        "natalia.pavlova@example.org",
        Role.customer,
        "ru",
        "Врач-терапевт",
        "Городская поликлиника № 3",
        "Кофе после ночного дежурства — лучшее лекарство.",
    ),
    Person(
        "viktor_egorov",
        "Виктор Егоров",
        "viktor@example.net",
        Role.customer,
        "ru",
        "Обжарщик",
        "Обжарочная «Медный барабан»",
        "Обжариваю кофе в Петербурге. Расскажу, почему зерну нужно отдохнуть.",
        ("https://example.net/copper-drum",),
    ),
    Person(
        "yulia_zaitseva",
        "Юлия Зайцева",
        "yulia.z@example.com",
        Role.customer,
        "ru",
        "Маркетолог",
        "Агентство «Точка»",
        "Айс-латте круглый год. Пишу про кофе в своём канале.",
    ),
)

ANNOUNCEMENT = Thread(
    author="marta_silva",
    title="Welcome to the Brewbird community · Добро пожаловать в сообщество Brewbird",
    body=(
        "**This is the place to ask, learn and share everything about your Brewbird.**\n\n"
        "- Ask questions: our engineers and coffee specialists answer with a *staff* badge, "
        "usually within the hour on working days.\n"
        "- Release notes for firmware and the app are posted here first.\n"
        "- Be kind, stay on topic, and never post your serial number or address.\n\n"
        "---\n\n"
        "**Здесь можно спросить, научиться и поделиться всем, что связано с вашим Brewbird.**\n\n"
        "- Задавайте вопросы: инженеры и специалисты по кофе отвечают со значком *staff*, "
        "в рабочие дни обычно в течение часа.\n"
        "- Описания новых прошивок и версий приложения появляются здесь первыми.\n"
        "- Будьте доброжелательны, не уходите от темы и не публикуйте серийный номер и адрес."
    ),
    comments=(
        ("jake_miller", "Great to have a proper place for this instead of scattered emails!"),
        ("sergey_volkov", "Рад быть здесь. Если увидите спам, отмечайте меня: @sergey_volkov"),
        ("anna_kovaleva", "@sergey_volkov спасибо, что помогаете с модерацией!"),
    ),
    pinned_days=30,
)
