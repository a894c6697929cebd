//! Sao Mai Mobile: phones and accessories, sold online and in shops across Vietnam.

use super::{SampleArticle, SampleCategory};
use rapport_domain::Locale::{En, Pl, Vi};

pub static CATEGORIES: &[SampleCategory] = &[
    SampleCategory { key: "sm-account", brand: "sao-mai", names: &[(Vi, "Tài khoản"), (En, "Your account"), (Pl, "Konto")] },
    SampleCategory {
        key: "sm-orders",
        brand: "sao-mai",
        names: &[(Vi, "Đơn hàng và giao hàng"), (En, "Orders and delivery"), (Pl, "Zamówienia i dostawa")],
    },
    SampleCategory {
        key: "sm-warranty",
        brand: "sao-mai",
        names: &[(Vi, "Bảo hành và sửa chữa"), (En, "Warranty and repairs"), (Pl, "Gwarancja i naprawy")],
    },
    SampleCategory { key: "sm-payment", brand: "sao-mai", names: &[(Vi, "Thanh toán"), (En, "Payment"), (Pl, "Płatności")] },
];

pub static ARTICLES: &[SampleArticle] = &[
    SampleArticle {
        key: "sm-login",
        brand: "sao-mai",
        category: "sm-account",
        internal: false,
        translations: &[
            (
                Vi,
                "Cách đăng nhập vào tài khoản Sao Mai",
                "Bạn có thể **đăng nhập** bằng số điện thoại hoặc địa chỉ email đã dùng khi mua hàng.\n\n\
                 1. Mở ứng dụng Sao Mai hoặc trang saomai.vn.\n\
                 2. Bấm **Đăng nhập** ở góc phải màn hình.\n\
                 3. Nhập số điện thoại, rồi nhập mã OTP gửi qua tin nhắn SMS.\n\n\
                 Nếu không nhận được mã OTP sau 60 giây, hãy bấm *Gửi lại mã*. \
                 Mỗi mã chỉ dùng được một lần và hết hạn sau 5 phút.",
            ),
            (
                En,
                "How to sign in to your Sao Mai account",
                "You can **sign in** (log in) with the phone number or email address you used when you bought from us.\n\n\
                 1. Open the Sao Mai app or saomai.vn.\n\
                 2. Tap **Sign in** at the top right of the screen.\n\
                 3. Enter your phone number, then the one-time code (OTP) we send by text message.\n\n\
                 No code after 60 seconds? Tap *Send the code again*. Each code works once and expires after 5 minutes.",
            ),
            (
                Pl,
                "Jak zalogować się do konta Sao Mai",
                "Do konta **zalogujesz się** numerem telefonu lub adresem e-mail podanym przy zakupie.\n\n\
                 1. Otwórz aplikację Sao Mai albo stronę saomai.vn.\n\
                 2. Wybierz **Zaloguj się** w prawym górnym rogu.\n\
                 3. Wpisz numer telefonu, a potem jednorazowy kod SMS.\n\n\
                 Kod nie przyszedł w ciągu minuty? Poproś o nowy. Każdy kod działa raz i wygasa po 5 minutach.",
            ),
        ],
    },
    SampleArticle {
        key: "sm-password",
        brand: "sao-mai",
        category: "sm-account",
        internal: false,
        translations: &[
            (
                Vi,
                "Quên mật khẩu: đặt lại trong hai phút",
                "Nếu bạn quên mật khẩu, hãy chọn **Quên mật khẩu?** trên màn hình đăng nhập. \
                 Chúng tôi sẽ gửi đường dẫn đặt lại mật khẩu tới email của bạn. \
                 Đường dẫn có hiệu lực trong 30 phút.\n\n\
                 Mật khẩu mới cần ít nhất 10 ký tự. Không dùng lại mật khẩu cũ và không chia sẻ mật khẩu với ai, \
                 kể cả nhân viên Sao Mai: chúng tôi không bao giờ hỏi mật khẩu của bạn.",
            ),
            (
                En,
                "Forgot your password? Reset it in two minutes",
                "If you forgot your password, choose **Forgot password?** on the sign-in screen. \
                 We email you a link to reset the password; the link works for 30 minutes.\n\n\
                 A new password needs at least 10 characters. Do not reuse an old password and never share it, \
                 not even with Sao Mai staff: we will never ask for your password.",
            ),
        ],
    },
    SampleArticle {
        key: "sm-hotline",
        brand: "sao-mai",
        category: "sm-account",
        internal: false,
        translations: &[
            (
                Vi,
                "Liên hệ bộ phận dịch vụ khách hàng",
                "Bộ phận **dịch vụ khách hàng** của Sao Mai làm việc từ 8:00 đến 21:00 tất cả các ngày, kể cả Chủ nhật.\n\n\
                 - Tổng đài miễn phí: 1800 6868\n\
                 - Chat trực tuyến trên ứng dụng và trang web\n\
                 - Email: hotro@saomai.vn, trả lời trong vòng 24 giờ\n\n\
                 Khi gọi tổng đài, hãy chuẩn bị mã đơn hàng để nhân viên hỗ trợ bạn nhanh hơn.",
            ),
            (
                En,
                "Contacting customer service",
                "Sao Mai **customer service** is open from 8:00 to 21:00 every day, Sundays included.\n\n\
                 - Free hotline: 1800 6868\n\
                 - Live chat in the app and on the website\n\
                 - Email: hotro@saomai.vn, answered within 24 hours\n\n\
                 Have your order number ready when you call, so the agent can help you faster.",
            ),
            (
                Pl,
                "Kontakt z obsługą klienta",
                "**Obsługa klienta** Sao Mai pracuje codziennie od 8:00 do 21:00, także w niedziele.\n\n\
                 - Bezpłatna infolinia: 1800 6868\n\
                 - Czat na żywo w aplikacji i na stronie\n\
                 - E-mail: hotro@saomai.vn, odpowiadamy w ciągu 24 godzin\n\n\
                 Przygotuj numer zamówienia przed rozmową, wtedy pomożemy szybciej.",
            ),
        ],
    },
    SampleArticle {
        key: "sm-delivery",
        brand: "sao-mai",
        category: "sm-orders",
        internal: false,
        translations: &[
            (
                Vi,
                "Thời gian giao hàng và phí vận chuyển",
                "Đơn hàng nội thành Hà Nội và TP. Hồ Chí Minh được **giao hàng** trong 2 giờ nếu đặt trước 18:00. \
                 Các tỉnh khác nhận hàng sau 2 đến 4 ngày làm việc.\n\n\
                 Phí vận chuyển: miễn phí cho đơn từ 500.000 đồng; đơn nhỏ hơn tính 30.000 đồng. \
                 Bạn có thể kiểm tra hàng trước khi thanh toán cho nhân viên giao hàng.",
            ),
            (
                En,
                "Delivery times and shipping fees",
                "Orders within Hanoi and Ho Chi Minh City are **delivered** within 2 hours when placed before 18:00. \
                 Other provinces receive their parcel in 2 to 4 working days.\n\n\
                 Shipping is free for orders from 500,000 VND; smaller orders cost 30,000 VND. \
                 You may inspect the goods before paying the courier.",
            ),
        ],
    },
    SampleArticle {
        key: "sm-track",
        brand: "sao-mai",
        category: "sm-orders",
        internal: false,
        translations: &[(
            Vi,
            "Theo dõi trạng thái đơn hàng",
            "Để **theo dõi đơn hàng**, vào mục *Đơn hàng của tôi* trong ứng dụng. Mỗi đơn có một mã vận đơn; \
             bấm vào mã để xem hành trình của kiện hàng theo thời gian thực.\n\n\
             Các trạng thái: *Đã xác nhận*, *Đang đóng gói*, *Đang vận chuyển*, *Đã giao*. \
             Nếu đơn đứng yên ở một trạng thái quá 48 giờ, hãy nhắn cho chúng tôi kèm mã đơn hàng.",
        )],
    },
    SampleArticle {
        key: "sm-return",
        brand: "sao-mai",
        category: "sm-orders",
        internal: false,
        translations: &[
            (
                Vi,
                "Đổi trả sản phẩm trong 30 ngày",
                "Bạn được **đổi trả** miễn phí trong 30 ngày kể từ ngày nhận hàng nếu sản phẩm bị lỗi do nhà sản xuất. \
                 Với sản phẩm không lỗi, chúng tôi nhận lại trong 7 ngày nếu còn nguyên hộp, phụ kiện và tem.\n\n\
                 Mang máy tới bất kỳ cửa hàng Sao Mai nào, hoặc tạo yêu cầu trả hàng trong ứng dụng để nhân viên đến lấy. \
                 Tiền được hoàn về phương thức thanh toán ban đầu trong 5 đến 7 ngày làm việc.",
            ),
            (
                En,
                "Returning or exchanging a product within 30 days",
                "You can **return** or exchange a product free of charge within 30 days of delivery if it has a manufacturing defect. \
                 Products without a defect can be returned within 7 days if the box, accessories and seals are intact.\n\n\
                 Bring the device to any Sao Mai shop, or open a return request in the app and a courier will collect it. \
                 The refund goes back to your original payment method within 5 to 7 working days.",
            ),
        ],
    },
    SampleArticle {
        key: "sm-warranty",
        brand: "sao-mai",
        category: "sm-warranty",
        internal: false,
        translations: &[
            (
                Vi,
                "Chính sách bảo hành điện thoại",
                "Mọi điện thoại mua tại Sao Mai được **bảo hành** chính hãng 12 tháng, pin và sạc được bảo hành 6 tháng. \
                 Bảo hành không áp dụng cho máy bị rơi vỡ, vào nước hoặc đã sửa ở nơi khác.\n\n\
                 Khi mang máy đi bảo hành, hãy sao lưu dữ liệu và tắt tính năng định vị thiết bị. \
                 Thời gian sửa chữa thường từ 3 đến 10 ngày; chúng tôi cho mượn máy trong thời gian chờ.",
            ),
            (
                En,
                "Phone warranty policy",
                "Every phone bought at Sao Mai has a 12-month manufacturer **warranty**; the battery and charger are covered for 6 months. \
                 The warranty does not cover drops, cracked screens, water damage or repairs made elsewhere.\n\n\
                 Before bringing a phone in for repair, back up your data and turn off device location. \
                 Repairs usually take 3 to 10 days, and we lend you a phone while you wait.",
            ),
            (
                Pl,
                "Gwarancja na telefony",
                "Każdy telefon kupiony w Sao Mai ma 12 miesięcy **gwarancji** producenta, a bateria i ładowarka 6 miesięcy. \
                 Gwarancja nie obejmuje upadków, zalania ani napraw wykonanych gdzie indziej.\n\n\
                 Przed oddaniem telefonu do naprawy zrób kopię zapasową danych. Naprawa trwa zwykle od 3 do 10 dni, \
                 a na ten czas pożyczamy telefon zastępczy.",
            ),
        ],
    },
    SampleArticle {
        key: "sm-battery",
        brand: "sao-mai",
        category: "sm-warranty",
        internal: false,
        translations: &[
            (
                Vi,
                "Pin điện thoại hao nhanh: nên làm gì?",
                "Nếu **pin** hao nhanh bất thường, hãy thử các bước sau trước khi mang máy đi kiểm tra:\n\n\
                 - Cập nhật hệ điều hành lên bản mới nhất.\n\
                 - Giảm độ sáng màn hình và tắt các ứng dụng chạy nền.\n\
                 - Chỉ dùng bộ sạc chính hãng; sạc nhanh kém chất lượng làm chai pin.\n\n\
                 Nếu dung lượng pin dưới 80% trong thời gian bảo hành, chúng tôi thay pin miễn phí.",
            ),
            (
                En,
                "Battery draining fast: what to do",
                "If your **battery** drains unusually fast, try these steps before bringing the phone in:\n\n\
                 - Update the operating system to the latest version.\n\
                 - Lower the screen brightness and close apps running in the background.\n\
                 - Use only an original charger; poor fast chargers wear the battery out.\n\n\
                 If battery capacity is below 80% during the warranty, we replace the battery for free.",
            ),
        ],
    },
    SampleArticle {
        key: "sm-installment",
        brand: "sao-mai",
        category: "sm-payment",
        internal: false,
        translations: &[
            (
                Vi,
                "Mua trả góp 0% qua thẻ tín dụng",
                "Sao Mai hỗ trợ **trả góp** lãi suất 0% trong 6 hoặc 12 tháng cho đơn từ 3.000.000 đồng, \
                 qua thẻ tín dụng của 20 ngân hàng đối tác.\n\n\
                 Chọn *Trả góp* khi thanh toán, chọn ngân hàng và kỳ hạn. Phí chuyển đổi do ngân hàng quy định \
                 và hiện rõ trước khi bạn xác nhận. Không cần giấy tờ nếu bạn dùng thẻ tín dụng.",
            ),
            (
                En,
                "0% instalments with a credit card",
                "Sao Mai offers 0% interest **instalments** over 6 or 12 months on orders from 3,000,000 VND, \
                 with credit cards from 20 partner banks.\n\n\
                 Choose *Instalments* at checkout, then the bank and the term. The conversion fee is set by the bank \
                 and shown before you confirm. No paperwork is needed when you pay by credit card.",
            ),
        ],
    },
    SampleArticle {
        key: "sm-einvoice",
        brand: "sao-mai",
        category: "sm-payment",
        internal: false,
        translations: &[(
            Vi,
            "Xuất hóa đơn điện tử VAT cho đơn hàng",
            "Doanh nghiệp cần **hóa đơn điện tử** (hóa đơn VAT) hãy nhập mã số thuế, tên công ty và địa chỉ \
             ở bước thanh toán. Hóa đơn được gửi qua email trong vòng 24 giờ sau khi đơn hàng hoàn tất.\n\n\
             Nếu quên yêu cầu hóa đơn, bạn có thể yêu cầu bổ sung trong cùng tháng mua hàng. \
             Chúng tôi không thể sửa thông tin trên hóa đơn đã phát hành sang tháng sau.",
        )],
    },
    SampleArticle {
        key: "sm-refund-staff",
        brand: "sao-mai",
        category: "sm-payment",
        internal: true,
        translations: &[(
            Vi,
            "Quy trình hoàn tiền (nội bộ)",
            "Thẻ kiến thức nội bộ cho nhân viên chăm sóc khách hàng.\n\n\
             1. Kiểm tra đơn trong hệ thống kho: máy đã được nhập lại và kiểm định chưa.\n\
             2. Hoàn tiền dưới 5.000.000 đồng: trưởng ca duyệt. Từ 5.000.000 đồng: cần kế toán duyệt.\n\
             3. Ghi chú nội bộ trên phiếu với mã giao dịch hoàn tiền.\n\n\
             Không hứa ngày hoàn tiền cụ thể với khách; chỉ nói 5 đến 7 ngày làm việc.",
        )],
    },
];
