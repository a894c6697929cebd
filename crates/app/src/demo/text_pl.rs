//! Polish conversations for Kwitek: invoicing and point-of-sale software,
//! sold with card terminals, receipt printers and barcode scanners.
//!
//! Agents write as "we" (the team), so only the customer's gender matters:
//! `{zamówiłem|zamówiłam}`, `{Pan|Pani}`. See [`Topic`] for how the lists line up.

use super::text::{BrandKind::Saas, Dev, Field, Pack, Topic};
use rapport_domain::Locale;

pub static PACK: Pack = Pack {
    locale: Locale::Pl,
    topics: TOPICS,
    hello: &["Dzień dobry,", "Witam,", "Szanowni Państwo,", "Cześć,", ""],
    bye: &[
        "Pozdrawiam,\n{name}",
        "Z poważaniem,\n{name}",
        "Z góry dziękuję za pomoc.\n{first}",
        "Proszę o szybką odpowiedź.\n{name}",
        "",
    ],
    agent_hello: &[
        "Dzień dobry,",
        "Dzień dobry, dziękujemy za wiadomość.",
        "Dzień dobry, dziękujemy za kontakt z zespołem Kwitek.",
        "Witamy serdecznie,",
    ],
    agent_bye: &[
        "W razie pytań jesteśmy do dyspozycji.\n\nPozdrawiamy serdecznie,\n{agent}\nZespół Kwitek",
        "Pozdrawiamy,\n{agent}\nDział Obsługi Klienta Kwitek",
        "Miłego dnia!\n{agent_first} z zespołu Kwitek",
    ],
    nudges: &[
        "Dzień dobry, czy są już jakieś informacje w mojej sprawie? Minęło kilka dni.",
        "Przypominam się z moim zgłoszeniem – sprawa jest dla nas pilna.",
        "Halo, czy ktoś się tym zajmuje? Nadal czekam na odpowiedź.",
        "Czy mogę prosić o informację, na jakim etapie jest moje zgłoszenie?",
    ],
    thanks: &[
        "Bardzo dziękuję za pomoc!",
        "Dziękuję, sprawa załatwiona. Świetna obsługa!",
        "Super, dzięki za szybką reakcję.",
        "Potwierdzam, wszystko w porządku. Pozdrawiam.",
    ],
    updates: &[
        "Przekazaliśmy zgłoszenie do odpowiedniego działu. Odezwiemy się, gdy tylko otrzymamy odpowiedź – zwykle trwa to do 2 dni roboczych.",
        "Sprawa jest w toku. Damy znać, jak tylko będziemy mieć więcej informacji.",
    ],
    notes: &[
        "{Klient|Klientka} {dzwonił|dzwoniła} dziś rano w tej sprawie, prosi o pilny kontakt.",
        "Stały klient od trzech lat, warto potraktować priorytetowo.",
        "Sprawdzić z księgowością przed odpowiedzią.",
        "Podobne zgłoszenie było w zeszłym tygodniu – zobacz historię klienta.",
    ],
};

static TOPICS: &[Topic] = &[
    Topic {
        brand: Saas,
        tags: &["logowanie", "konto"],
        billing: false,
        urgency: 2,
        fields: &[Field::Plan],
        device: Dev::Hardware,
        subjects: &[
            &["Nie mogę się zalogować", "Problem z logowaniem do panelu"],
            &["Nie dochodzi kod weryfikacyjny SMS"],
            &["Link do resetu hasła wygasł", "Pracownica nie może odzyskać dostępu"],
        ],
        openings: &[
            "Od dzisiaj rana nie mogę zalogować się do panelu. Po wpisaniu hasła strona się odświeża i wraca do ekranu logowania. {Próbowałem|Próbowałam} już w dwóch przeglądarkach.",
            "Przy logowaniu system prosi o kod z SMS-a, ale żaden SMS nie przychodzi. Nie możemy wystawiać faktur, a klienci czekają.",
            "Nasza pracownica zapomniała hasła, a link do resetu wygasł, zanim zdążyła go otworzyć. Jak możemy odzyskać dostęp?",
        ],
        asks: &[
            "Czy {mógłby Pan|mogłaby Pani} przesłać zrzut ekranu z komunikatem, który pojawia się po wpisaniu hasła? Przyda się też informacja, z jakiej przeglądarki {Pan korzysta|Pani korzysta}.",
            "Prosimy o potwierdzenie, czy numer telefonu przypisany do konta był ostatnio zmieniany, oraz o przybliżoną godzinę ostatniej próby logowania.",
            "Prosimy o podanie adresu e-mail pracownicy – wyślemy nowy link bezpośrednio do niej.",
        ],
        answers: &[
            "Zrzut ekranu w załączniku. Korzystam z Chrome'a na Windowsie, na telefonie jest to samo.",
            "Numer się nie zmieniał, to ten sam telefon od lat. Ostatnia próba była około 8:30.",
            "To adres, który widnieje w panelu przy jej koncie – nic się nie zmieniało.",
        ],
        updates: &[],
        fixes: &[
            "Konto zostało tymczasowo zablokowane po kilku nieudanych próbach logowania. Odblokowaliśmy je i wysłaliśmy nowy link do ustawienia hasła – jest ważny przez 24 godziny.",
            "Operator SMS miał dziś opóźnienia w doręczaniu wiadomości. Włączyliśmy dla konta kody weryfikacyjne wysyłane e-mailem, więc logowanie powinno już działać. Zalecamy też skonfigurowanie aplikacji uwierzytelniającej.",
            "Wysłaliśmy pracownicy nowy link do ustawienia hasła – tym razem jest ważny przez 24 godziny. Administrator konta może też zresetować hasło sam, w zakładce Ustawienia → Użytkownicy.",
        ],
        notes: &[
            "Konto zablokowane automatycznie po 5 próbach – odblokowane ręcznie.",
            "Status operatora SMS: opóźnienia od 7:00, zgłosiło to już kilkunastu klientów.",
            "Link resetu jest ważny tylko godzinę – klienci często się na to skarżą, zgłoszone do zespołu produktu.",
        ],
    },
    Topic {
        brand: Saas,
        tags: &["faktura"],
        billing: true,
        urgency: 1,
        fields: &[Field::Plan],
        device: Dev::Hardware,
        subjects: &[
            &["Błędny NIP na fakturze {invoice}", "Prośba o fakturę korygującą"],
            &["Brak faktury za abonament", "Nie widzę faktury za ostatni miesiąc"],
        ],
        openings: &[
            "Na fakturze {invoice} za abonament w planie {plan} widnieje stary NIP naszej firmy. Prosimy o wystawienie faktury korygującej z poprawnymi danymi.",
            "Nie {otrzymałem|otrzymałam} faktury za ostatni miesiąc abonamentu. W panelu w zakładce Płatności też jej nie widzę, a księgowa potrzebuje jej do końca tygodnia.",
        ],
        asks: &[
            "Prosimy o przesłanie aktualnych danych do faktury: pełnej nazwy firmy, adresu oraz numeru NIP. Po weryfikacji wystawimy korektę.",
            "Czy płatność za ostatni okres była realizowana kartą, czy przelewem? To pomoże nam odnaleźć transakcję.",
        ],
        answers: &[
            "Poprawne dane przesyłam w załączniku. Adres się nie zmienił, zmienił się tylko NIP po przekształceniu spółki.",
            "Płatność poszła przelewem {days} dni temu, w tytule był numer naszego konta klienta.",
        ],
        updates: &[],
        fixes: &[
            "Faktura korygująca do {invoice} została wystawiona i wysłana na adres e-mail przypisany do konta. Jest również dostępna w panelu w zakładce Płatności.",
            "Faktura za ostatni okres nie wygenerowała się z powodu błędu w systemie rozliczeń. Wystawiliśmy ją ręcznie – znajdzie ją {Pan|Pani} w załączniku i w panelu.",
        ],
        notes: &[
            "Korekta wymaga akceptacji działu księgowości – wysłane do Ani.",
            "Błąd generowania faktur dotyczy kilku kont rozliczanych przelewem – zgłoszone do zespołu billingu.",
        ],
    },
    Topic {
        brand: Saas,
        tags: &["ksef", "faktura", "bug"],
        billing: false,
        urgency: 2,
        fields: &[Field::Plan],
        device: Dev::Hardware,
        subjects: &[&["Faktury nie wysyłają się do KSeF", "Błąd {err} przy wysyłce do KSeF"], &["Faktura {invoice} odrzucona przez KSeF"]],
        openings: &[
            "Od wczoraj żadna faktura nie trafia do KSeF – w panelu wiszą ze statusem „oczekuje”. Przy próbie ponownej wysyłki pojawia się błąd {err}.",
            "Faktura {invoice} została odrzucona przez KSeF, a w szczegółach jest tylko ogólny komunikat o błędzie walidacji. Nie wiemy, co poprawić.",
        ],
        asks: &[
            "Prosimy o podanie numerów kilku faktur, których dotyczy problem, oraz informacji, czy token KSeF był ostatnio odnawiany.",
            "Prosimy o przesłanie pliku UPO lub zrzutu ekranu ze szczegółami odrzucenia – sprawdzimy, które pole nie przeszło walidacji.",
        ],
        answers: &[
            "Dotyczy to między innymi faktury {invoice} i dwóch kolejnych. Token {generowałem|generowałam} na nowo w zeszłym miesiącu.",
            "Zrzut ekranu w załączniku. Dane kontrahenta wpisywaliśmy ręcznie.",
        ],
        updates: &[
            "Nasi programiści potwierdzili problem z komunikacją z KSeF po ostatniej aktualizacji. Pracujemy nad poprawką i damy znać, gdy tylko zostanie wdrożona.",
            "Przekazaliśmy fakturę do analizy – sprawdzamy, które pole nie przeszło walidacji KSeF.",
        ],
        fixes: &[
            "Poprawka została wdrożona – zaległe faktury zostały automatycznie wysłane do KSeF i mają już nadane numery. Prosimy o sprawdzenie w panelu.",
            "Przyczyną odrzucenia był kod pocztowy nabywcy zapisany bez myślnika. Po poprawieniu danych kontrahenta faktura została przyjęta przez KSeF.",
        ],
        notes: &[
            "Ten sam błąd zgłosiło dziś kilku klientów – wygląda na skutek wdrożenia wersji 4.12.",
            "Walidator KSeF odrzuca kod pocztowy bez myślnika – warto dodać sprawdzanie w formularzu kontrahenta.",
        ],
    },
    Topic {
        brand: Saas,
        tags: &["billing", "platnosc"],
        billing: true,
        urgency: 2,
        fields: &[Field::Plan],
        device: Dev::Hardware,
        subjects: &[
            &["Podwójne obciążenie karty", "Dwie opłaty za abonament w tym miesiącu"],
            &["Pobrano opłatę mimo rezygnacji"],
            &["Płatność za abonament nie przechodzi", "Karta odrzucana przy płatności"],
        ],
        openings: &[
            "W tym miesiącu z naszej karty zostały pobrane dwie opłaty po {amount} za plan {plan}. Prosimy o zwrot nadpłaty.",
            "{Zrezygnowałem|Zrezygnowałam} z abonamentu {days} dni temu, a mimo to pobrano kolejną opłatę w wysokości {amount}. Proszę o wyjaśnienie i zwrot środków.",
            "Płatność kartą za abonament jest odrzucana, choć karta jest ważna i ma środki. Obawiamy się, że konto zostanie zablokowane.",
        ],
        asks: &[
            "Prosimy o podanie czterech ostatnich cyfr karty oraz dat obu obciążeń widocznych na wyciągu.",
            "Czy rezygnacja została złożona w panelu (Ustawienia → Abonament), czy mailowo? Prosimy też o przybliżoną datę.",
            "Czy przy płatności pojawia się jakiś komunikat? Prosimy też sprawdzić, czy karta ma włączone płatności internetowe.",
        ],
        answers: &[
            "Ostatnie cyfry karty to {last4}. Obie transakcje są z tego samego dnia, w odstępie kilku minut.",
            "Przez panel, {days} dni temu. {Dostałem|Dostałam} nawet potwierdzenie mailem.",
            "Komunikat brzmi „Płatność odrzucona przez bank”. Płatności internetowe są włączone.",
        ],
        updates: &[],
        fixes: &[
            "Potwierdzamy zdublowaną transakcję. Zwrot {amount} został zlecony na kartę – środki powinny pojawić się na koncie w ciągu 5 dni roboczych.",
            "Rezygnacja została zarejestrowana, ale system nie zatrzymał odnowienia. Zwróciliśmy opłatę {amount} i potwierdzamy, że kolejne obciążenia nie będą naliczane.",
            "Bank odrzucał płatność z powodu braku potwierdzenia 3-D Secure. Wysłaliśmy nowy link do płatności – po potwierdzeniu w aplikacji banku abonament jest opłacony, a konto nie zostanie zablokowane.",
        ],
        notes: &[
            "Bramka płatnicza zdublowała w nocy transakcje trzem klientom.",
            "Rezygnacja zapisana, ale zadanie odnowień i tak się wykonało – zgłoszony błąd. Zwrot powyżej 500 zł wymaga akceptacji kierownika.",
            "Bank klienta wymaga 3-D Secure przy płatnościach cyklicznych – częsty przypadek.",
        ],
    },
    Topic {
        brand: Saas,
        tags: &["plan", "sprzedaz"],
        billing: false,
        urgency: 0,
        fields: &[Field::Plan],
        device: Dev::Hardware,
        subjects: &[&["Zmiana planu na wyższy", "Ile kosztuje dodatkowe stanowisko?"], &["Pytanie o plan Enterprise", "Wycena dla sieci sklepów"]],
        openings: &[
            "Otwieramy drugi lokal i potrzebujemy więcej stanowisk kasowych. Czy możemy przejść z planu {plan} na wyższy w trakcie okresu rozliczeniowego?",
            "Interesuje nas plan Enterprise dla sieci pięciu sklepów. Czy jest możliwość indywidualnej wyceny i umowy rocznej?",
        ],
        asks: &["Chętnie pomożemy dobrać plan. Ile stanowisk i użytkowników będzie potrzebnych i czy planują Państwo korzystać z integracji przez API?"],
        answers: &["Potrzebujemy 4 stanowisk i około 10 użytkowników. API na razie nie, może w przyszłym roku."],
        updates: &[],
        fixes: &[
            "Zmiana planu obowiązuje od dziś. Dopłata za bieżący okres została naliczona proporcjonalnie, a nowe stanowiska są już dostępne w panelu.",
            "Przygotowaliśmy ofertę na plan Enterprise z rabatem przy umowie rocznej – przesyłamy ją w załączniku. Opiekun klienta skontaktuje się, aby omówić szczegóły.",
        ],
        notes: &["Szansa na upsell – przekazane do opiekuna klienta."],
    },
    Topic {
        brand: Saas,
        tags: &["dostawa", "sprzet"],
        billing: false,
        urgency: 1,
        fields: &[Field::Order, Field::Device],
        device: Dev::Terminal,
        subjects: &[
            &["Nie dotarł terminal z zamówienia {order}", "Status dostawy zamówienia {order}"],
            &["Przesyłka oznaczona jako doręczona, a jej nie ma", "Kurier nie dostarczył przesyłki"],
        ],
        openings: &[
            "{Zamówiłem|Zamówiłam} terminal {device} {days} dni temu, a przesyłka nadal nie dotarła. Numer zamówienia {order}. Bez terminala nie możemy przyjmować płatności kartą.",
            "Według śledzenia {courier} przesyłka z zamówienia {order} została doręczona, ale nikt u nas niczego nie odebrał. Co teraz?",
        ],
        asks: &[
            "Prosimy o potwierdzenie adresu dostawy oraz godzin, w których ktoś będzie na miejscu, aby odebrać przesyłkę.",
            "Czy przesyłka mogła zostać zostawiona u sąsiada lub w recepcji budynku? Prosimy o sprawdzenie, a w międzyczasie zgłosimy reklamację u przewoźnika.",
        ],
        answers: &[
            "Adres się zgadza, jesteśmy na miejscu od 9 do 17.",
            "{Sprawdziłem|Sprawdziłam} – nikt nic nie odbierał, w recepcji też nie ma paczki.",
        ],
        updates: &["Złożyliśmy reklamację u przewoźnika {courier}. Rozpatrzenie trwa zwykle 2–3 dni robocze, ale równolegle szykujemy wysyłkę zastępczą."],
        fixes: &[
            "Wysłaliśmy nowy terminal {device} przesyłką ekspresową. Numer śledzenia: {tracking}. Dostawa jutro do 12:00.",
            "Kurier potwierdził, że paczka trafiła przez pomyłkę do innego oddziału. Dzisiaj zostanie doręczona – numer śledzenia {tracking} bez zmian.",
        ],
        notes: &["{courier}: paczka utknęła w sortowni, zgłoszenie reklamacyjne nr {code}."],
    },
    Topic {
        brand: Saas,
        tags: &["reklamacja", "sprzet"],
        billing: false,
        urgency: 1,
        fields: &[Field::Device, Field::Order],
        device: Dev::Hardware,
        subjects: &[
            &["Reklamacja urządzenia {device}", "Reklamacja – uszkodzony sprzęt"],
            &["{device} gubi połączenie z Wi-Fi"],
            &["Urządzenie {device} nie działa po aktualizacji"],
        ],
        openings: &[
            "Urządzenie {device} kupione u Państwa kilka tygodni temu przestało działać – dioda miga na czerwono, a ekran jest pusty. Chcę złożyć reklamację.",
            "Urządzenie {device} co chwilę traci połączenie z Wi-Fi i transakcje się przerywają. To już drugi taki przypadek w tym miesiącu.",
            "Po aktualizacji oprogramowania urządzenie {device} nie uruchamia się – ekran pozostaje czarny. Prosimy o pilną pomoc lub wymianę.",
        ],
        asks: &[
            "Przykro nam z powodu kłopotów. Prosimy o podanie numeru seryjnego urządzenia (naklejka na spodzie) oraz krótki film pokazujący usterkę.",
            "Czy {mógłby Pan|mogłaby Pani} spróbować przywrócić ustawienia fabryczne, przytrzymując przycisk zasilania przez 15 sekund? Jeśli to nie pomoże, uruchomimy procedurę reklamacyjną.",
        ],
        answers: &["Numer seryjny to SN-{code}, film przesyłam w załączniku.", "Reset nic nie dał, problem występuje dalej."],
        updates: &["Reklamacja została przyjęta. Kurier odbierze uszkodzone urządzenie w ciągu 2 dni roboczych – prosimy o zapakowanie go w oryginalne pudełko."],
        fixes: &[
            "Reklamacja została uznana. Wysłaliśmy nowe urządzenie {device}, a kurier zabierze uszkodzone przy dostawie. Numer przesyłki: {tracking}.",
            "Serwis wymienił uszkodzoną płytę główną i zaktualizował oprogramowanie. Urządzenie zostało dziś odesłane, numer przesyłki {tracking}.",
        ],
        notes: &[
            "Partia z marca – znany problem z zasilaczem, wymieniamy bez dyskusji.",
            "{Klient|Klientka} ma już drugą reklamację tego modelu, rozważyć wymianę na nowszy.",
        ],
    },
    Topic {
        brand: Saas,
        tags: &["zwrot", "sprzet"],
        billing: false,
        urgency: 0,
        fields: &[Field::Order, Field::Device],
        device: Dev::Scanner,
        subjects: &[
            &["Zwrot czytnika z zamówienia {order}", "Chcę odstąpić od umowy"],
            &["Zwrot nadmiarowych rolek papieru", "Zwrot części zamówienia {order}"],
        ],
        openings: &[
            "{Chciałbym|Chciałabym} zwrócić czytnik {device} z zamówienia {order} – okazał się niekompatybilny z naszym sprzętem. Urządzenie jest nieużywane, w oryginalnym opakowaniu.",
            "Zamówiliśmy za dużo rolek papieru termicznego (zamówienie {order}). Czy możemy zwrócić te, których nie otworzyliśmy?",
        ],
        asks: &["Prosimy o wypełnienie formularza zwrotu w panelu (Zamówienia → Zwroty) i podanie numeru konta do zwrotu środków."],
        answers: &["Formularz wypełniony, numer konta {podałem|podałam} w polu uwag."],
        updates: &["Etykietę nadawczą {courier} przesłaliśmy e-mailem – koszt odesłania pokrywamy my. Zwrot środków zlecimy po otrzymaniu paczki."],
        fixes: &[
            "Otrzymaliśmy zwrócony towar i zleciliśmy zwrot {amount} na wskazany rachunek. Środki powinny dotrzeć w ciągu 3 dni roboczych.",
            "Paczka z rolkami dotarła do magazynu. Zwrot {amount} za nieotwarte opakowania został zlecony na wskazany rachunek.",
        ],
        notes: &["Towar wrócił kompletny, bez śladów użytkowania – można zwrócić pełną kwotę."],
    },
    Topic {
        brand: Saas,
        tags: &["bug", "paragony"],
        billing: false,
        urgency: 1,
        fields: &[Field::Device, Field::Plan],
        device: Dev::Printer,
        subjects: &[
            &["Krzaczki zamiast polskich znaków na paragonie", "Drukarka nie drukuje polskich znaków"],
            &["Błąd w eksporcie PDF", "Ucięte nazwy produktów na fakturach"],
            &["Raport sprzedaży pokazuje złe kwoty"],
        ],
        openings: &[
            "Na paragonach z drukarki {device} zamiast polskich znaków pojawiają się dziwne symbole. Na przykład „Krzesło żółte” drukuje się jako „Krzes?o ?ó?te”. Klienci zwracają na to uwagę.",
            "Eksport faktur do PDF ucina nazwy produktów po 40 znakach, a mamy w nazwach dłuższe opisy. Wcześniej tak nie było.",
            "Raport dzienny sprzedaży pokazuje inną kwotę niż suma paragonów – różnica to dokładnie {amount}. Nie wiemy, której wartości ufać.",
        ],
        asks: &[
            "Dziękujemy za zgłoszenie. Prosimy o podanie wersji aplikacji (Ustawienia → O programie) oraz przykładowego dokumentu, na którym widać błąd.",
            "Czy problem występuje na wszystkich stanowiskach, czy tylko na jednym? Przyda się też dokładna godzina wystąpienia.",
        ],
        answers: &["Wersja 4.12.1. Przykładowy dokument w załączniku.", "Na wszystkich trzech stanowiskach to samo, od wczorajszego popołudnia."],
        updates: &["Udało się odtworzyć błąd w naszym środowisku testowym. Przekazaliśmy go programistom z wysokim priorytetem."],
        fixes: &[
            "Błąd został poprawiony w wersji 4.12.2, która jest już dostępna. Po aktualizacji polskie znaki drukują się prawidłowo.",
            "Wersja 4.12.2 przywraca pełne nazwy produktów w eksporcie PDF. Wcześniej wystawione faktury można po prostu wyeksportować ponownie.",
            "Przyczyną była zmiana zaokrągleń w ostatniej aktualizacji. Poprawka jest już wdrożona, a raporty zostały przeliczone wstecz.",
        ],
        notes: &[
            "Zgłoszone w Jirze jako KW-{last4}, dotyczy tylko drukarek ze starym firmware.",
            "Zgłoszone w Jirze jako KW-{last4} – szablon PDF ma sztywny limit znaków.",
            "Regresja po wersji 4.12 – programiści potwierdzili błąd zaokrągleń.",
        ],
    },
    Topic {
        brand: Saas,
        tags: &["integracja", "api"],
        billing: false,
        urgency: 1,
        fields: &[Field::Plan],
        device: Dev::Hardware,
        subjects: &[
            &["Integracja ze sklepem internetowym", "Czy jest wtyczka do WooCommerce?"],
            &["Webhooki przestały działać"],
            &["Limit zapytań API", "Błąd 429 przy synchronizacji produktów"],
        ],
        openings: &[
            "Chcemy połączyć Kwitek z naszym sklepem na WooCommerce, żeby faktury wystawiały się automatycznie po opłaceniu zamówienia. Czy jest gotowa wtyczka, czy trzeba korzystać z API?",
            "Od kilku dni nie dostajemy webhooków o nowych płatnościach. Endpoint działa i zwraca 200, w naszych logach nic nie ma.",
            "Podczas nocnej synchronizacji produktów dostajemy błąd 429 Too Many Requests. Jaki jest limit zapytań w planie {plan}?",
        ],
        asks: &[
            "Chętnie pomożemy. Czy faktury mają trafiać do kupujących automatycznie e-mailem, czy wystarczy, że pojawią się w panelu?",
            "Prosimy o podanie adresu endpointu oraz identyfikatora jednej z płatności, dla których webhook nie dotarł.",
            "Ile mniej więcej produktów synchronizują Państwo jednorazowo i jak często uruchamiane jest zadanie?",
        ],
        answers: &[
            "Najlepiej automatycznie e-mailem, od razu po płatności.",
            "Przykładowa płatność to PAY-{code}, adres endpointu się nie zmienił.",
            "Około 8 tysięcy produktów, zadanie uruchamia się co noc o 2:00.",
        ],
        updates: &[],
        fixes: &[
            "Tak, mamy gotową wtyczkę do WooCommerce – instrukcja instalacji jest w bazie wiedzy. Klucz API wygenerują Państwo w panelu w zakładce Integracje, a wysyłkę faktur e-mailem włącza się jednym przełącznikiem.",
            "Webhooki zostały wstrzymane po serii błędów z Państwa serwera w zeszłym tygodniu. Włączyliśmy je ponownie i ponowiliśmy wysyłkę zaległych zdarzeń.",
            "Limit w planie {plan} to 120 zapytań na minutę. Zalecamy endpoint do operacji zbiorczych – przyjmuje do 500 produktów w jednym zapytaniu. Link do dokumentacji przesyłamy poniżej.",
        ],
        notes: &[
            "Klient pyta o wtyczkę – warto podesłać też nagranie webinaru o integracjach.",
            "Webhook wyłączony automatycznie po 50 błędach 5xx – sprawdzić, czy klient naprawił serwer.",
            "Nocna synchronizacja bez paczkowania – zasugerować endpoint zbiorczy.",
        ],
    },
    Topic {
        brand: Saas,
        tags: &["import", "onboarding"],
        billing: false,
        urgency: 0,
        fields: &[Field::Plan],
        device: Dev::Hardware,
        subjects: &[&["Import produktów z pliku CSV", "Błąd importu CSV"], &["Przeniesienie danych z innego programu"]],
        openings: &[
            "Próbuję zaimportować listę produktów z pliku CSV, ale import kończy się błędem w pierwszym wierszu. Plik {zapisałem|zapisałam} z Excela.",
            "Przechodzimy na Kwitek z innego programu do fakturowania. Czy da się przenieść bazę kontrahentów i historię faktur?",
        ],
        asks: &[
            "Prosimy o przesłanie pliku (wystarczy kilka pierwszych wierszy) – sprawdzimy kodowanie i separator.",
            "Ilu mniej więcej kontrahentów i z ilu lat faktury chcą Państwo przenieść?",
        ],
        answers: &["Plik w załączniku, ma około 600 pozycji.", "Około 1200 kontrahentów i faktury z ostatnich pięciu lat."],
        updates: &[],
        fixes: &[
            "Plik był zapisany w kodowaniu Windows-1250 z separatorem średnika. Po zapisaniu go jako „CSV UTF-8” import przejdzie bez problemu – sprawdziliśmy to na przesłanej próbce.",
            "Bazę kontrahentów można zaimportować z pliku CSV lub XLSX, a historię faktur przenosimy bezpłatnie w ramach wdrożenia. Konsultant odezwie się, by ustalić termin.",
        ],
        notes: &["Problem z kodowaniem – warto dopisać to do FAQ.", "Migracja danych – umówić konsultanta wdrożeniowego."],
    },
    Topic {
        brand: Saas,
        tags: &["rodo", "konto"],
        billing: false,
        urgency: 0,
        fields: &[],
        device: Dev::Hardware,
        subjects: &[&["Usunięcie konta i danych"], &["Wniosek o dostęp do danych osobowych"]],
        openings: &[
            "Zamykamy działalność i prosimy o usunięcie konta oraz wszystkich naszych danych zgodnie z RODO.",
            "Proszę o informację, jakie moje dane osobowe Państwo przetwarzają i w jakim celu.",
        ],
        asks: &[
            "Przed usunięciem konta prosimy o potwierdzenie, że pobrali Państwo wszystkie faktury – po usunięciu nie będzie można ich odzyskać. Czy możemy kontynuować?",
            "Aby potwierdzić tożsamość, prosimy o przesłanie wniosku z adresu e-mail przypisanego do konta lub o podanie numeru klienta.",
        ],
        answers: &["Tak, wszystkie dokumenty mamy pobrane. Proszę usunąć konto.", "Piszę z adresu przypisanego do konta, numer klienta to {last4}."],
        updates: &[],
        fixes: &[
            "Konto zostało usunięte. Dane rozliczeniowe przechowujemy przez 5 lat wyłącznie w zakresie wymaganym przez przepisy podatkowe.",
            "W załączniku przesyłamy zestawienie przetwarzanych danych wraz z podstawą prawną i okresem przechowywania.",
        ],
        notes: &["Wniosek RODO – termin odpowiedzi 30 dni, przekazane do inspektora ochrony danych."],
    },
    Topic {
        brand: Saas,
        tags: &["onboarding"],
        billing: false,
        urgency: 0,
        fields: &[Field::Plan],
        device: Dev::Hardware,
        subjects: &[&["Szkolenie dla pracowników"], &["Konfiguracja stawek VAT", "Pomoc we wdrożeniu"]],
        openings: &[
            "Zatrudniliśmy nowych kasjerów i chcielibyśmy zorganizować dla nich krótkie szkolenie z obsługi systemu. Czy prowadzą Państwo szkolenia online?",
            "Dopiero zaczynamy pracę z systemem i nie wiemy, jak poprawnie skonfigurować stawki VAT dla gastronomii. Czy możemy prosić o pomoc?",
        ],
        asks: &[
            "Oczywiście! Jakie terminy w przyszłym tygodniu byłyby dla Państwa dogodne i ile osób weźmie udział?",
            "Chętnie pomożemy. Czy prowadzą Państwo tylko sprzedaż na miejscu, czy także na wynos lub z dowozem? Od tego zależą stawki.",
        ],
        answers: &["Najlepiej wtorek lub środa po 15:00, będzie 5 osób.", "Na miejscu i na wynos, dowozu nie mamy."],
        updates: &[],
        fixes: &[
            "Szkolenie online zostało zaplanowane – zaproszenie z linkiem do spotkania wysłaliśmy na Państwa adres e-mail. Nagranie udostępnimy po zakończeniu.",
            "Skonfigurowaliśmy stawki VAT dla usług gastronomicznych (8%) i napojów (23%). Instrukcja krok po kroku jest w bazie wiedzy w sekcji Gastronomia.",
        ],
        notes: &["Nowy klient, warto przypisać opiekuna na pierwsze 90 dni."],
    },
];
