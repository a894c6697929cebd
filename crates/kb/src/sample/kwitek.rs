//! Kwitek: online invoicing and point-of-sale for small Polish businesses.

use super::{SampleArticle, SampleCategory};
use rapport_domain::Locale::{En, Pl, Vi};

pub static CATEGORIES: &[SampleCategory] = &[
    SampleCategory { key: "kw-invoices", brand: "kwitek", names: &[(Pl, "Faktury"), (En, "Invoices"), (Vi, "Hóa đơn")] },
    SampleCategory {
        key: "kw-pos",
        brand: "kwitek",
        names: &[(Pl, "Kasa i drukarka fiskalna"), (En, "Till and fiscal printer"), (Vi, "Máy tính tiền")],
    },
    SampleCategory {
        key: "kw-account",
        brand: "kwitek",
        names: &[(Pl, "Konto i abonament"), (En, "Account and subscription"), (Vi, "Tài khoản")],
    },
];

pub static ARTICLES: &[SampleArticle] = &[
    SampleArticle {
        key: "kw-invoice",
        brand: "kwitek",
        category: "kw-invoices",
        internal: false,
        translations: &[
            (
                Pl,
                "Jak wystawić fakturę VAT",
                "Aby wystawić **fakturę VAT**, wybierz *Sprzedaż → Nowa faktura*. Wpisz NIP nabywcy: dane firmy pobierzemy \
                 z rejestru GUS. Dodaj pozycje, stawkę VAT i termin płatności, a potem kliknij *Zapisz i wyślij*.\n\n\
                 Numeracja faktur jest ciągła w ramach roku. Fakturę możesz wysłać klientowi e-mailem jako PDF \
                 albo wydrukować. Szablon z logo ustawisz w *Ustawieniach firmy*.",
            ),
            (
                En,
                "How to issue a VAT invoice",
                "To issue a **VAT invoice**, choose *Sales → New invoice*. Enter the buyer's tax ID (NIP) and we fill in \
                 the company details from the public register. Add the items, the VAT rate and the payment due date, then click *Save and send*.\n\n\
                 Invoice numbers run continuously within a year. Email the invoice to your customer as a PDF or print it. \
                 Set up a template with your logo in *Company settings*.",
            ),
            (
                Vi,
                "Cách xuất hóa đơn VAT trong Kwitek",
                "Để xuất **hóa đơn VAT**, chọn *Bán hàng → Hóa đơn mới*. Nhập mã số thuế (NIP) của người mua, \
                 hệ thống tự điền thông tin công ty. Thêm mặt hàng, thuế suất và hạn thanh toán, rồi bấm *Lưu và gửi*.\n\n\
                 Số hóa đơn tăng liên tục trong năm. Bạn có thể gửi hóa đơn PDF qua email hoặc in ra.",
            ),
        ],
    },
    SampleArticle {
        key: "kw-ksef",
        brand: "kwitek",
        category: "kw-invoices",
        internal: false,
        translations: &[
            (
                Pl,
                "Wysyłka faktur do KSeF",
                "Kwitek wysyła faktury do **Krajowego Systemu e-Faktur (KSeF)** automatycznie po zapisaniu. \
                 Przy pierwszym połączeniu zaloguj się do KSeF profilem zaufanym i wygeneruj token, \
                 a potem wklej go w *Ustawienia → Integracje → KSeF*.\n\n\
                 Każda faktura dostaje numer KSeF i urzędowe poświadczenie odbioru (UPO). \
                 Gdy KSeF nie odpowiada, faktury czekają w kolejce i wysyłamy je ponownie co 15 minut.",
            ),
            (
                En,
                "Sending invoices to KSeF",
                "Kwitek sends invoices to **KSeF**, Poland's National e-Invoicing System, automatically when you save them. \
                 The first time, sign in to KSeF with your trusted profile, generate a token, \
                 and paste it into *Settings → Integrations → KSeF*.\n\n\
                 Each invoice gets a KSeF number and an official receipt confirmation (UPO). \
                 When KSeF is down, invoices wait in a queue and we retry every 15 minutes.",
            ),
        ],
    },
    SampleArticle {
        key: "kw-correction",
        brand: "kwitek",
        category: "kw-invoices",
        internal: false,
        translations: &[
            (
                Pl,
                "Faktura korygująca: kiedy i jak ją wystawić",
                "**Fakturę korygującą** wystawiasz, gdy na fakturze jest błędna cena, ilość, stawka VAT albo gdy klient \
                 zwrócił towar. Otwórz pierwotną fakturę i wybierz *Koryguj*. Kwitek skopiuje pozycje, \
                 a ty wpisujesz stan po korekcie.\n\n\
                 Błąd w nazwie nabywcy poprawisz notą korygującą, którą wystawia nabywca. \
                 Korekty wysłanych faktur trafiają do KSeF tak samo jak zwykłe faktury.",
            ),
            (
                En,
                "Correcting an invoice",
                "Issue a **correcting invoice** (credit note) when an invoice has a wrong price, quantity or VAT rate, \
                 or when the customer returned goods. Open the original invoice and choose *Correct*. \
                 Kwitek copies the items and you enter the state after the correction.\n\n\
                 A mistake in the buyer's name is fixed with a correction note issued by the buyer. \
                 Corrections of sent invoices go to KSeF like ordinary invoices.",
            ),
        ],
    },
    SampleArticle {
        key: "kw-printer-yellow",
        brand: "kwitek",
        category: "kw-pos",
        internal: false,
        translations: &[
            (
                Pl,
                "Żółta lampka na drukarce fiskalnej",
                "Migająca **żółta lampka** na drukarce fiskalnej oznacza, że kończy się papier albo otwarta jest pokrywa. \
                 Ciągłe żółte światło to przepełniona pamięć raportów dobowych: wykonaj raport dobowy i odczekaj minutę.\n\n\
                 Jeśli lampka świeci na żółto po wymianie rolki, wyłącz drukarkę na 10 sekund. \
                 Czerwona lampka oznacza błąd mechanizmu: wtedy nie drukuj paragonów i zadzwoń do serwisu.",
            ),
            (
                En,
                "Yellow light on the fiscal printer",
                "A blinking **yellow light** on the fiscal printer means the paper is running out or the cover is open. \
                 A steady yellow light means the daily report memory is full: run the daily report and wait a minute.\n\n\
                 If the light stays yellow after changing the roll, switch the printer off for 10 seconds. \
                 A red light is a mechanism fault: stop printing receipts and call the service team.",
            ),
        ],
    },
    SampleArticle {
        key: "kw-lodz",
        brand: "kwitek",
        category: "kw-pos",
        internal: false,
        translations: &[
            (
                Pl,
                "Punkt serwisowy w Łodzi",
                "Nasz punkt serwisowy mieści się w **Łodzi** przy ulicy Piotrkowskiej 120, otwarty od poniedziałku do piątku \
                 w godzinach 9:00–17:00. Przyjmujemy drukarki fiskalne, terminale płatnicze i czytniki kodów.\n\n\
                 Przegląd techniczny drukarki fiskalnej trzeba robić co dwa lata. Umów wizytę przez czat, \
                 a kurier odbierze urządzenie z każdego miejsca w województwie łódzkim bez opłat.",
            ),
            (
                En,
                "Our service point in Łódź",
                "Our service point is in **Łódź** at 120 Piotrkowska Street, open Monday to Friday from 9:00 to 17:00. \
                 We take fiscal printers, payment terminals and barcode scanners.\n\n\
                 A fiscal printer needs a technical inspection every two years. Book a visit in the chat, \
                 and a courier collects the device free of charge anywhere in the Łódź region.",
            ),
        ],
    },
    SampleArticle {
        key: "kw-receipt",
        brand: "kwitek",
        category: "kw-pos",
        internal: false,
        translations: &[(
            Pl,
            "Paragon z NIP nabywcy",
            "Klient firmowy może poprosić o **paragon z NIP**. Przed zakończeniem sprzedaży kliknij *NIP na paragonie* \
             i wpisz numer. Paragon z NIP do 450 zł brutto jest fakturą uproszczoną.\n\n\
             Do paragonu bez NIP nie wystawisz później faktury dla firmy. Fakturę do paragonu z NIP \
             wystawisz jednym kliknięciem w historii sprzedaży.",
        )],
    },
    SampleArticle {
        key: "kw-jpk",
        brand: "kwitek",
        category: "kw-invoices",
        internal: false,
        translations: &[
            (
                Pl,
                "Eksport JPK_VAT dla księgowej",
                "Plik **JPK_VAT** z ewidencją sprzedaży wygenerujesz w *Raporty → JPK*. Wybierz miesiąc, \
                 sprawdź podsumowanie i pobierz plik XML albo wyślij go księgowej bezpośrednio z Kwitka.\n\n\
                 Jeśli po wysłaniu pliku wystawisz fakturę korygującą za ten miesiąc, wygeneruj JPK ponownie jako korektę.",
            ),
            (
                En,
                "Exporting JPK_VAT for your accountant",
                "Generate the **JPK_VAT** sales ledger file in *Reports → JPK*. Choose the month, check the summary, \
                 and download the XML file or send it to your accountant straight from Kwitek.\n\n\
                 If you issue a correcting invoice for that month after sending the file, generate the JPK again as a correction.",
            ),
        ],
    },
    SampleArticle {
        key: "kw-plan",
        brand: "kwitek",
        category: "kw-account",
        internal: false,
        translations: &[
            (
                Pl,
                "Zmiana planu i płatność za abonament",
                "Plan zmienisz w *Konto → Abonament*. Przejście na wyższy plan działa od razu, a różnicę rozliczamy \
                 proporcjonalnie. Niższy plan zacznie obowiązywać od kolejnego okresu rozliczeniowego.\n\n\
                 Za **abonament** płacisz kartą, BLIK-iem albo przelewem na podstawie faktury proforma. \
                 Fakturę za abonament wysyłamy e-mailem pierwszego dnia miesiąca.",
            ),
            (
                En,
                "Changing your plan and paying for the subscription",
                "Change your plan in *Account → Subscription*. Upgrades take effect immediately and we charge the difference \
                 pro rata. A downgrade starts with the next billing period.\n\n\
                 Pay for the **subscription** by card, BLIK or bank transfer against a pro forma invoice. \
                 We email the subscription invoice on the first day of each month.",
            ),
        ],
    },
    SampleArticle {
        key: "kw-2fa",
        brand: "kwitek",
        category: "kw-account",
        internal: false,
        translations: &[
            (
                Pl,
                "Logowanie dwuetapowe",
                "**Logowanie dwuetapowe** chroni konto, nawet gdy ktoś pozna twoje hasło. Włączysz je w *Konto → Bezpieczeństwo*: \
                 zeskanuj kod QR aplikacją uwierzytelniającą i wpisz sześciocyfrowy kod.\n\n\
                 Zapisz kody zapasowe w bezpiecznym miejscu. Gdy zgubisz telefon, zaloguj się kodem zapasowym \
                 i wyłącz stare urządzenie.",
            ),
            (
                En,
                "Two-step sign-in",
                "**Two-step sign-in** protects your account even when someone learns your password. Turn it on in \
                 *Account → Security*: scan the QR code with an authenticator app and enter the six-digit code.\n\n\
                 Keep the backup codes somewhere safe. If you lose your phone, sign in with a backup code and remove the old device.",
            ),
        ],
    },
    SampleArticle {
        key: "kw-printer-escalation",
        brand: "kwitek",
        category: "kw-pos",
        internal: true,
        translations: &[(
            Pl,
            "Awaria drukarki fiskalnej: eskalacja (wewnętrzne)",
            "Karta wewnętrzna dla konsultantów.\n\n\
             Gdy klient zgłasza czerwoną lampkę albo błąd pamięci fiskalnej, nie prowadź go przez reset. \
             Załóż zlecenie serwisowe z numerem unikatowym drukarki, oznacz zgłoszenie jako pilne i przypisz zespół serwisu w Łodzi.\n\n\
             Klient musi do czasu naprawy wystawiać paragony na kasie zapasowej albo faktury.",
        )],
    },
];
