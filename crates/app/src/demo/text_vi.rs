//! Vietnamese conversations for Sao Mai Mobile, a phone shop with stores and a web shop.
//! See [`Topic`] for how the lists line up.

use super::text::{BrandKind::Phones, Dev, Field, Pack, Topic};
use rapport_domain::Locale;

pub static PACK: Pack = Pack {
    locale: Locale::Vi,
    topics: TOPICS,
    hello: &["Chào shop,", "Shop ơi,", "Xin chào Sao Mai Mobile,", "Chào bạn,", ""],
    bye: &["Cảm ơn shop.\n{name}", "Mong shop phản hồi sớm giúp mình. Cảm ơn!", "Trân trọng,\n{name}", "Mình cảm ơn nhiều ạ.", ""],
    agent_hello: &[
        "Dạ, Sao Mai Mobile xin chào {addr} ạ.",
        "Chào {addr}, em là {agent_first} bên chăm sóc khách hàng của Sao Mai Mobile.",
        "Dạ em chào {addr}, cảm ơn {addr} đã liên hệ với Sao Mai Mobile ạ.",
    ],
    agent_bye: &[
        "Nếu cần hỗ trợ thêm, {addr} cứ nhắn lại cho em nhé.\n\nTrân trọng,\n{agent} – CSKH Sao Mai Mobile",
        "Chúc {addr} một ngày tốt lành!\n{agent_first} – Sao Mai Mobile",
        "Em cảm ơn {addr} đã kiên nhẫn chờ đợi ạ.\n{agent}\nHotline: 1900 6868",
    ],
    nudges: &[
        "Shop ơi, yêu cầu của mình sao rồi ạ? Mình chờ mấy hôm rồi mà chưa thấy ai phản hồi.",
        "Cho mình hỏi yêu cầu hôm trước đã có kết quả chưa vậy shop?",
        "Mình nhắn lại lần nữa, mong shop kiểm tra giúp sớm nhé. Mình đang cần gấp.",
        "Alo shop, có ai hỗ trợ mình với không ạ?",
    ],
    thanks: &[
        "Mình nhận được rồi, cảm ơn shop nhiều nhé!",
        "Ok shop, vậy là ổn rồi. Cảm ơn em đã hỗ trợ nhiệt tình.",
        "Dạ mình cảm ơn, lần sau mình sẽ tiếp tục ủng hộ shop.",
        "Xong rồi bạn ơi, cảm ơn nha. Dịch vụ rất tốt!",
    ],
    updates: &[
        "Em đã chuyển yêu cầu của {addr} sang bộ phận liên quan. Bên em sẽ phản hồi trong vòng 24 giờ làm việc ạ.",
        "Dạ yêu cầu của {addr} đang được xử lý. Em sẽ cập nhật ngay khi có kết quả, mong {addr} chờ thêm giúp em nhé.",
    ],
    notes: &[
        "Khách hơi gấp, ưu tiên xử lý trong hôm nay.",
        "Đã gọi điện cho khách nhưng không nghe máy, chiều nay gọi lại.",
        "Khách quen, đã mua 3 đơn trong năm nay.",
        "Cần xác nhận lại với kho trước khi trả lời khách.",
    ],
};

static TOPICS: &[Topic] = &[
    Topic {
        brand: Phones,
        tags: &["giao-hang"],
        billing: false,
        urgency: 1,
        fields: &[Field::Order, Field::Device],
        device: Dev::Phone,
        subjects: &[
            &["Đơn hàng {order} chưa được giao", "Đặt hàng {days} ngày rồi vẫn chưa nhận được"],
            &["Đã thanh toán đơn {order} nhưng chưa thấy giao", "Hỏi tình trạng giao hàng đơn {order}"],
            &["Nhờ shop giao gấp đơn {order}", "Cần nhận máy trước cuối tuần"],
        ],
        openings: &[
            "Mình đặt đơn {order} cách đây {days} ngày, trên web báo giao trong 2 ngày mà đến giờ vẫn chưa nhận được hàng. Mã vận đơn {tracking} tra trên {courier} thì cứ đứng yên ở trạng thái \"đang vận chuyển\". Shop kiểm tra giúp mình với.",
            "Đơn {order} của mình đã chuyển khoản thanh toán rồi nhưng đến nay vẫn chưa thấy shipper liên hệ. Mình ở {city}, không biết hàng có bị thất lạc không?",
            "Mình cần máy {device} để đi công tác vào cuối tuần. Nhờ shop hối bên vận chuyển giao đơn {order} sớm giúp mình được không?",
        ],
        asks: &[
            "Để em làm việc với đơn vị vận chuyển, {addr} vui lòng xác nhận giúp em địa chỉ nhận hàng và số điện thoại người nhận trên đơn {order} nhé.",
            "Em đã tra mã vận đơn {tracking} nhưng hệ thống {courier} chưa cập nhật. Nhờ {addr} cho em xin khung giờ thuận tiện để shipper gọi trước khi giao ạ.",
        ],
        answers: &[
            "Địa chỉ vẫn đúng như trên đơn nhé, số điện thoại là số mình đang dùng. Giờ hành chính mình ở công ty, shipper giao sau 17h giúp mình.",
            "Bạn giao giúp mình vào buổi sáng nhé, trước 8h mình ở nhà. Nếu không gặp thì gửi bảo vệ toà nhà cũng được.",
        ],
        updates: &[
            "Em đã liên hệ {courier}, bên đó báo kiện hàng bị chậm ở kho trung chuyển do lượng đơn tăng cao. Dự kiến {addr} sẽ nhận được hàng trong 1–2 ngày tới ạ.",
        ],
        fixes: &[
            "Theo thông tin từ {courier}, đơn {order} đã được giao thành công sáng nay. Em xin lỗi vì sự chậm trễ, Sao Mai Mobile xin gửi tặng {addr} mã giảm giá 100.000đ cho lần mua sau ạ.",
            "Kiện hàng bị thất lạc ở kho trung chuyển nên em đã cho xuất lại đơn mới, giao hoả tốc trong hôm nay. Mã vận đơn mới là {tracking}, {addr} để ý điện thoại giúp em nhé.",
        ],
        notes: &[
            "{courier} xác nhận kiện hàng đang nằm ở kho {city}, đã yêu cầu ưu tiên giao.",
            "Đơn này giao trễ lần thứ hai, nếu mai vẫn chưa giao được thì tạo đơn mới cho khách.",
        ],
    },
    Topic {
        brand: Phones,
        tags: &["doi-tra", "giao-hang"],
        billing: false,
        urgency: 1,
        fields: &[Field::Order, Field::Device],
        device: Dev::Phone,
        subjects: &[
            &["Giao sai màu điện thoại", "Nhận hàng không đúng màu đã đặt"],
            &["Đơn {order} bị thiếu phụ kiện", "Thiếu quà tặng kèm trong đơn {order}"],
        ],
        openings: &[
            "Mình đặt {device} màu xanh nhưng mở hộp ra lại là màu đen. Hộp vẫn còn nguyên seal, mình chưa kích hoạt máy. Shop đổi giúp mình đúng màu nhé.",
            "Hôm qua mình nhận đơn {order}, trong hộp chỉ có máy mà không có ốp lưng và cường lực tặng kèm như quảng cáo. Shop xem lại giúp mình.",
        ],
        asks: &[
            "Em rất xin lỗi về sự nhầm lẫn này. {Addr} chụp giúp em ảnh hộp máy, tem niêm phong và mặt sau hộp có số IMEI để em làm thủ tục đổi hàng nhé.",
            "Em xin lỗi vì sự thiếu sót này. Nhờ {addr} chụp giúp em ảnh những món có trong hộp để bên em đối chiếu với phiếu xuất kho ạ.",
        ],
        answers: &[
            "Mình gửi ảnh đính kèm rồi nhé. Seal vẫn còn, IMEI in ở mặt sau hộp.",
            "Mình gửi ảnh rồi, trong hộp chỉ có máy, cáp sạc và sách hướng dẫn thôi.",
        ],
        updates: &[],
        fixes: &[
            "Em đã tạo đơn đổi hàng, shipper sẽ giao máy đúng màu và thu hồi máy cũ cùng lúc. {Addr} không phải trả thêm bất kỳ chi phí nào ạ.",
            "Phụ kiện còn thiếu đã được gửi bổ sung qua {courier}, mã vận đơn {tracking}. Em xin lỗi {addr} vì sơ suất của bộ phận đóng gói.",
        ],
        notes: &[
            "Kho xác nhận nhầm mã màu khi soạn hàng, đã báo trưởng kho.",
            "Lô này có 3 đơn giao thiếu phụ kiện, cần kiểm tra lại quy trình đóng gói.",
        ],
    },
    Topic {
        brand: Phones,
        tags: &["hoan-tien"],
        billing: true,
        urgency: 1,
        fields: &[Field::Order],
        device: Dev::Phone,
        subjects: &[
            &["Chưa nhận được tiền hoàn đơn {order}", "Huỷ đơn rồi nhưng chưa được hoàn tiền"],
            &["Trả máy rồi nhưng chưa được hoàn tiền", "Yêu cầu hoàn tiền máy {device}"],
        ],
        openings: &[
            "Mình đã huỷ đơn {order} từ {days} ngày trước và được báo sẽ hoàn {amount} về tài khoản, nhưng đến nay vẫn chưa thấy tiền về. Shop kiểm tra giúp mình nhé.",
            "Mình trả lại máy {device} vì lỗi loa, cửa hàng đã nhận máy và hẹn hoàn tiền trong 3–5 ngày làm việc. Đã quá hạn mà vẫn chưa có gì, mình hơi lo.",
        ],
        asks: &[
            "Để đối soát giao dịch, {addr} vui lòng gửi giúp em tên ngân hàng và 4 số cuối của tài khoản hoặc thẻ đã dùng để thanh toán đơn {order} ạ.",
            "Nhờ {addr} gửi giúp em ảnh chụp biên nhận trả hàng hoặc mã phiếu trả hàng để em đối chiếu với kế toán nhé.",
        ],
        answers: &[
            "Mình thanh toán bằng thẻ Vietcombank, 4 số cuối là {last4}.",
            "Mã phiếu trả hàng là PTH-{last4}, mình gửi kèm ảnh biên nhận nhé.",
        ],
        updates: &["Kế toán đã duyệt lệnh hoàn {amount} cho {addr}. Tiền sẽ về tài khoản trong 3–7 ngày làm việc tuỳ ngân hàng ạ."],
        fixes: &[
            "Em đã kiểm tra, lệnh hoàn {amount} đã được ngân hàng xử lý thành công. {Addr} vui lòng kiểm tra lại số dư giúp em nhé.",
            "Giao dịch hoàn tiền bị ngân hàng trả về do sai thông tin người nhận, em đã chuyển khoản lại trực tiếp {amount} cho {addr}. Mã giao dịch: {code}.",
        ],
        notes: &["Kế toán xác nhận lệnh hoàn bị treo do sai tên chủ tài khoản.", "Số tiền hoàn lớn, cần chị Mai bên tài chính duyệt."],
    },
    Topic {
        brand: Phones,
        tags: &["bao-hanh"],
        billing: false,
        urgency: 1,
        fields: &[Field::Device, Field::Order],
        device: Dev::Phone,
        subjects: &[
            &["Bảo hành {device} bị lỗi màn hình", "Màn hình {device} bị sọc xanh"],
            &["Pin {device} tụt nhanh bất thường", "Máy nóng và hao pin, cần bảo hành"],
            &["Máy mới mua đã bị lỗi, cần đổi máy", "{device} tự khởi động lại liên tục"],
        ],
        openings: &[
            "Mình mua {device} ở shop được khoảng 4 tháng, dạo gần đây màn hình xuất hiện một sọc xanh dọc và thỉnh thoảng bị chớp. Máy không rơi, không vào nước. Cho mình hỏi trường hợp này có được bảo hành không?",
            "Điện thoại {device} của mình sạc đầy buổi sáng mà chưa đến trưa đã còn 20%, máy còn nóng lên khi không dùng. Mình muốn mang máy đi bảo hành thì cần chuẩn bị gì?",
            "Máy {device} vừa mua tuần trước tự khởi động lại liên tục, đã thử khôi phục cài đặt gốc mà vẫn bị. Mình muốn đổi máy mới.",
        ],
        asks: &[
            "{Addr} vui lòng cho em xin số IMEI của máy (bấm *#06#) và số điện thoại đã dùng khi mua hàng để em tra cứu thời hạn bảo hành nhé.",
            "Nhờ {addr} quay giúp em một video ngắn ghi lại lỗi, bên kỹ thuật sẽ xem trước để tư vấn hướng xử lý nhanh nhất ạ.",
        ],
        answers: &[
            "IMEI của máy là {imei}, số điện thoại mua hàng là số mình đang dùng để liên hệ đây.",
            "Mình gửi video quay lại lỗi rồi nhé.",
        ],
        updates: &["Máy của {addr} đã được chuyển lên trung tâm bảo hành của hãng. Thời gian kiểm tra dự kiến 7–10 ngày làm việc, em sẽ báo ngay khi có kết quả ạ."],
        fixes: &[
            "Trung tâm bảo hành đã thay màn hình mới cho máy {device} của {addr}, hoàn toàn miễn phí. {Addr} có thể qua cửa hàng gần nhất để nhận lại máy, nhớ mang theo phiếu tiếp nhận nhé.",
            "Kỹ thuật xác nhận pin bị chai bất thường và đã thay pin mới miễn phí cho {addr}. Máy đã sẵn sàng tại cửa hàng, {addr} nhớ mang theo phiếu tiếp nhận nhé.",
            "Máy được xác định lỗi phần cứng trong 30 ngày đầu nên {addr} được đổi máy mới cùng loại theo chính sách 1 đổi 1. Máy mới đã sẵn sàng tại cửa hàng ạ.",
        ],
        notes: &["Máy còn bảo hành đến hết tháng 11, không có dấu hiệu va đập.", "Kỹ thuật nghi lỗi IC nguồn, có thể phải gửi hãng."],
    },
    Topic {
        brand: Phones,
        tags: &["tra-gop", "thanh-toan"],
        billing: false,
        urgency: 0,
        fields: &[Field::Device],
        device: Dev::Phone,
        subjects: &[&["Hỏi về mua trả góp 0%", "Thủ tục trả góp {device}"], &["Sinh viên có mua trả góp được không?"]],
        openings: &[
            "Mình muốn mua {device} theo hình thức trả góp 0% trong 12 tháng. Shop cho mình hỏi cần giấy tờ gì và có phải trả trước không?",
            "Cho mình hỏi sinh viên có được mua trả góp không? Mình có căn cước công dân và thẻ sinh viên nhưng chưa có thẻ tín dụng.",
        ],
        asks: &[
            "Để em tư vấn gói phù hợp, {addr} muốn trả góp qua thẻ tín dụng hay qua công ty tài chính, và dự định góp trong bao lâu ạ?",
            "Dạ được ạ. Cho em hỏi {addr} đã đủ 18 tuổi chưa và dự định trả trước khoảng bao nhiêu phần trăm ạ?",
        ],
        answers: &[
            "Mình có thẻ tín dụng Techcombank, muốn góp 12 tháng.",
            "Mình 20 tuổi rồi, đang đi làm thêm, định trả trước 30% và góp 6 tháng.",
        ],
        updates: &[],
        fixes: &[
            "Với {device}, {addr} có thể trả góp 0% qua thẻ tín dụng của hơn 25 ngân hàng, kỳ hạn 6 hoặc 12 tháng, không cần trả trước. Khi thanh toán trên web, {addr} chỉ cần chọn \"Trả góp qua thẻ\" là được ạ.",
            "Hồ sơ trả góp qua công ty tài chính chỉ cần căn cước công dân gắn chip, thời gian duyệt khoảng 15 phút. Em đã giữ máy cho {addr} tại cửa hàng trong 48 giờ ạ.",
        ],
        notes: &["Khách hỏi trả góp lần thứ hai, có thể tư vấn thêm gói bảo hành mở rộng."],
    },
    Topic {
        brand: Phones,
        tags: &["thanh-toan", "hoan-tien"],
        billing: true,
        urgency: 2,
        fields: &[Field::Order],
        device: Dev::Phone,
        subjects: &[
            &["Thanh toán bị trừ tiền 2 lần", "Bị trừ tiền hai lần cho đơn {order}"],
            &["Bị trừ tiền nhưng đơn báo thất bại", "Lỗi thanh toán đơn {order}"],
        ],
        openings: &[
            "Mình thanh toán đơn {order} qua ví điện tử, tài khoản bị trừ {amount} hai lần nhưng trên web chỉ có một đơn. Shop hoàn lại giúp mình khoản bị trừ thừa.",
            "Lúc thanh toán đơn {order}, trang web báo lỗi \"giao dịch thất bại\" nhưng ngân hàng vẫn trừ {amount}. Giờ đơn hàng của mình có được ghi nhận không?",
        ],
        asks: &[
            "{Addr} gửi giúp em ảnh chụp sao kê hoặc tin nhắn biến động số dư của cả hai giao dịch nhé, em sẽ chuyển ngay cho bộ phận kế toán đối soát.",
            "{Addr} gửi giúp em ảnh chụp tin nhắn trừ tiền của ngân hàng (có mã giao dịch) nhé, em sẽ kiểm tra trạng thái trên cổng thanh toán.",
        ],
        answers: &[
            "Mình gửi ảnh chụp sao kê rồi, hai giao dịch cách nhau chưa đến một phút.",
            "Đây là tin nhắn của ngân hàng, mã giao dịch {code}.",
        ],
        updates: &[],
        fixes: &[
            "Kế toán đã xác nhận giao dịch bị trừ trùng. Khoản {amount} đã được hoàn về tài khoản của {addr}, thời gian nhận tiền tuỳ ngân hàng từ 1–3 ngày làm việc ạ.",
            "Giao dịch của {addr} đã được ghi nhận thành công, đơn {order} đang được đóng gói. Trang báo lỗi do cổng thanh toán phản hồi chậm, {addr} không cần thanh toán lại ạ.",
        ],
        notes: &[
            "Lỗi do cổng thanh toán bị timeout, đã báo đội kỹ thuật kiểm tra log.",
            "Hôm nay đã có 4 khách báo lỗi thanh toán, nghi lỗi hệ thống.",
        ],
    },
    Topic {
        brand: Phones,
        tags: &["tai-khoan", "dang-nhap"],
        billing: false,
        urgency: 1,
        fields: &[],
        device: Dev::Phone,
        subjects: &[
            &["Không đăng nhập được tài khoản", "Quên mật khẩu tài khoản thành viên"],
            &["Không nhận được mã OTP"],
            &["Đổi số điện thoại, không vào được tài khoản cũ"],
        ],
        openings: &[
            "Mình không đăng nhập được vào ứng dụng Sao Mai Mobile, nhập đúng mật khẩu mà vẫn báo sai. Bấm quên mật khẩu thì không thấy email gửi về.",
            "Mỗi lần đăng nhập, ứng dụng yêu cầu mã OTP nhưng điện thoại mình không nhận được tin nhắn nào. Mình đã thử lại mấy lần rồi.",
            "Mình đổi số điện thoại mới nên không đăng nhập được tài khoản thành viên cũ, trong đó còn nhiều điểm tích luỹ. Shop hỗ trợ chuyển giúp mình.",
        ],
        asks: &[
            "Nhờ {addr} cho em xin email hoặc số điện thoại đã đăng ký tài khoản, em sẽ kiểm tra trạng thái tài khoản ngay ạ.",
            "Để bảo mật thông tin, {addr} vui lòng xác nhận giúp em họ tên và ngày sinh đã khai báo khi đăng ký thành viên nhé.",
        ],
        answers: &["Email đăng ký là email mình đang dùng để liên hệ đây.", "Họ tên như trên, ngày sinh mình khai là 12/08/1992."],
        updates: &[],
        fixes: &[
            "Tài khoản của {addr} bị khoá tạm thời do nhập sai mật khẩu nhiều lần. Em đã mở khoá và gửi liên kết đặt lại mật khẩu, {addr} kiểm tra cả hộp thư rác giúp em nhé.",
            "Nhà mạng đang bị chậm tin nhắn OTP, em đã chuyển tài khoản của {addr} sang nhận mã qua email. {Addr} thử đăng nhập lại giúp em nhé.",
            "Em đã cập nhật số điện thoại mới cho tài khoản, toàn bộ điểm tích luỹ vẫn được giữ nguyên ạ. {Addr} đăng nhập lại bằng số mới là được.",
        ],
        notes: &[
            "Tài khoản bị khoá tự động sau 5 lần nhập sai mật khẩu.",
            "Nhà mạng báo chậm tin nhắn OTP khu vực miền Trung từ sáng nay.",
            "Đã xác minh danh tính khách qua cuộc gọi trước khi đổi số điện thoại.",
        ],
    },
    Topic {
        brand: Phones,
        tags: &["khuyen-mai"],
        billing: false,
        urgency: 0,
        fields: &[Field::Order],
        device: Dev::Phone,
        subjects: &[
            &["Mã giảm giá không áp dụng được", "Voucher báo không hợp lệ"],
            &["Vừa mua xong thì sản phẩm giảm giá", "Hỏi hoàn tiền chênh lệch khi giảm giá"],
        ],
        openings: &[
            "Mình nhập mã giảm giá SAOMAI200 khi thanh toán nhưng hệ thống báo \"mã không hợp lệ\". Trên fanpage vẫn đang quảng cáo mã này mà.",
            "Mình đặt đơn {order} hôm qua, hôm nay thấy shop giảm giá thêm 500.000đ cho đúng sản phẩm đó. Shop có hỗ trợ hoàn phần chênh lệch không?",
        ],
        asks: &[
            "{Addr} chụp giúp em màn hình lúc nhập mã và cho em biết tổng giá trị giỏ hàng nhé, có thể đơn chưa đạt giá trị tối thiểu ạ.",
            "{Addr} cho em xin ảnh chụp trang sản phẩm có giá mới để em đối chiếu với đơn {order} nhé.",
        ],
        answers: &[
            "Giỏ hàng của mình là {amount}, ảnh chụp màn hình mình gửi kèm đây.",
            "Mình gửi ảnh chụp trang sản phẩm lúc sáng nay rồi nhé.",
        ],
        updates: &[],
        fixes: &[
            "Mã SAOMAI200 chỉ áp dụng cho đơn từ 3.000.000đ và không dùng chung với sản phẩm đang giảm giá. Em đã áp dụng mã thay thế giảm 150.000đ cho đơn của {addr} ạ.",
            "Theo chính sách bảo đảm giá trong 7 ngày, em đã hoàn phần chênh lệch vào ví thành viên của {addr}. {Addr} có thể dùng cho lần mua tiếp theo ạ.",
        ],
        notes: &[
            "Mã khuyến mãi này đã hết lượt từ 10h sáng nhưng marketing chưa gỡ bài đăng.",
            "Chính sách bảo đảm giá áp dụng trong 7 ngày kể từ ngày đặt, đơn này còn trong hạn.",
        ],
    },
    Topic {
        brand: Phones,
        tags: &["huy-don"],
        billing: false,
        urgency: 1,
        fields: &[Field::Order],
        device: Dev::Phone,
        subjects: &[
            &["Muốn huỷ đơn hàng {order}", "Đặt trùng đơn, nhờ huỷ giúp"],
            &["Đổi địa chỉ giao hàng đơn {order}", "Cần thay đổi địa chỉ nhận hàng"],
        ],
        openings: &[
            "Mình lỡ đặt trùng hai đơn, nhờ shop huỷ giúp đơn {order} nhé, mình chỉ cần một máy thôi.",
            "Mình vừa chuyển nhà, shop đổi địa chỉ giao đơn {order} sang địa chỉ mới ở {city} giúp mình được không?",
        ],
        asks: &[
            "Em xin phép xác nhận lại: {addr} muốn huỷ toàn bộ đơn {order} hay chỉ bỏ bớt một sản phẩm ạ?",
            "{Addr} vui lòng gửi giúp em địa chỉ mới đầy đủ (số nhà, phường/xã, quận/huyện) để em cập nhật trước khi đơn rời kho nhé.",
        ],
        answers: &[
            "Huỷ cả đơn giúp mình nhé.",
            "Địa chỉ mới là số 18, ngõ 42, phường Trung Hoà, nhờ shop cập nhật giúp. Người nhận và số điện thoại vẫn như cũ.",
        ],
        updates: &[],
        fixes: &[
            "Em đã huỷ đơn {order} thành công. Vì đơn thanh toán khi nhận hàng nên {addr} không bị trừ khoản nào ạ.",
            "Địa chỉ giao hàng của đơn {order} đã được cập nhật. Đơn sẽ được giao trong 1–2 ngày tới, {courier} sẽ gọi trước khi giao ạ.",
        ],
        notes: &["Đơn đã đóng gói, phải báo kho tách ra trước 15h."],
    },
    Topic {
        brand: Phones,
        tags: &["hoa-don"],
        billing: false,
        urgency: 0,
        fields: &[Field::Order, Field::Device],
        device: Dev::Phone,
        subjects: &[&["Xuất hoá đơn VAT cho công ty"], &["Hoá đơn {invoice} sai mã số thuế", "Cần điều chỉnh hoá đơn điện tử"]],
        openings: &[
            "Công ty mình mua 5 chiếc {device} trong đơn {order}, nhờ shop xuất hoá đơn VAT theo thông tin công ty. Mình gửi mã số thuế và địa chỉ trong file đính kèm.",
            "Hoá đơn điện tử {invoice} shop gửi bị sai mã số thuế công ty, kế toán bên mình không hạch toán được. Shop điều chỉnh lại giúp mình.",
        ],
        asks: &["{Addr} vui lòng xác nhận giúp em tên công ty, mã số thuế và email nhận hoá đơn chính xác để em gửi kế toán xuất hoá đơn ạ."],
        answers: &["Mã số thuế là 0316{last4}21, email nhận hoá đơn là email mình đang dùng để liên hệ đây."],
        updates: &[],
        fixes: &[
            "Hoá đơn VAT cho đơn {order} đã được phát hành, {addr} có thể tra cứu trên cổng hoá đơn điện tử bằng mã {code}.",
            "Kế toán đã xuất hoá đơn điều chỉnh và gửi đến email của {addr}. Hoá đơn gốc sai thông tin đã được huỷ trên hệ thống ạ.",
        ],
        notes: &["Khách doanh nghiệp, mua số lượng lớn định kỳ – chuyển thông tin cho bộ phận bán hàng B2B."],
    },
    Topic {
        brand: Phones,
        tags: &["thu-cu-doi-moi"],
        billing: false,
        urgency: 0,
        fields: &[Field::Device],
        device: Dev::Phone,
        subjects: &[&["Hỏi giá thu cũ đổi mới", "Đổi máy cũ lên {device}"], &["Máy nứt kính có được thu cũ không?"]],
        openings: &[
            "Mình đang dùng iPhone 11 64GB, máy còn đẹp khoảng 95%, pin 82%. Muốn lên đời {device} thì shop thu lại được bao nhiêu?",
            "Chương trình thu cũ đổi mới có áp dụng cho máy bị nứt kính mặt sau không shop? Mình muốn đổi sang {device}.",
        ],
        asks: &["Nhờ {addr} gửi giúp em vài ảnh chụp các mặt của máy và ảnh màn hình phần cài đặt pin để bên em định giá chính xác ạ."],
        answers: &["Mình gửi ảnh rồi nhé, bạn xem giúp mình."],
        updates: &[],
        fixes: &[
            "Máy của {addr} được định giá thu lại {amount}, cộng thêm trợ giá lên đời 1.000.000đ khi đổi sang {device}. Giá này được giữ trong 3 ngày, {addr} qua cửa hàng để nhân viên kiểm tra máy thực tế nhé.",
        ],
        notes: &["Giá thu dự kiến theo bảng giá tuần này, cần kiểm tra máy còn đăng nhập iCloud hay không."],
    },
    Topic {
        brand: Phones,
        tags: &["khieu-nai"],
        billing: false,
        urgency: 2,
        fields: &[],
        device: Dev::Phone,
        subjects: &[
            &["Khiếu nại về thái độ nhân viên", "Phản ánh chất lượng phục vụ tại cửa hàng"],
            &["Gọi hotline mãi không được", "Tổng đài liên tục ngắt máy"],
        ],
        openings: &[
            "Chiều qua mình đến cửa hàng ở {city} để bảo hành máy, phải chờ hơn một tiếng mà nhân viên tiếp nhận còn tỏ thái độ khó chịu khi mình hỏi lại. Mình rất thất vọng.",
            "Mình gọi hotline ba lần, lần nào cũng bị chuyển máy rồi ngắt. Dịch vụ chăm sóc khách hàng như vậy là không chấp nhận được.",
        ],
        asks: &[
            "Em thành thật xin lỗi {addr} về trải nghiệm không tốt này. Để xác minh, {addr} cho em xin thời gian cụ thể và địa chỉ cửa hàng đã ghé nhé.",
            "Em thành thật xin lỗi {addr}. Nhờ {addr} cho em xin khung giờ đã gọi và số điện thoại dùng để gọi, em sẽ kiểm tra lại ghi âm cuộc gọi ạ.",
        ],
        answers: &[
            "Khoảng 16h chiều thứ Bảy, ở cửa hàng trên đường chính gần chợ.",
            "Mình gọi khoảng 9h sáng hôm qua bằng số đang dùng, cả ba lần đều bị ngắt sau khi chuyển máy.",
        ],
        updates: &[],
        fixes: &[
            "Quản lý cửa hàng đã làm việc với nhân viên liên quan và sẽ có biện pháp chấn chỉnh. Sao Mai Mobile xin gửi {addr} phiếu mua hàng 200.000đ như lời xin lỗi chân thành ạ.",
            "Tổng đài đã khắc phục lỗi chuyển cuộc gọi từ sáng nay. Em cũng đã ghi nhận phản ánh của {addr} để đào tạo lại đội ngũ, mong {addr} tiếp tục ủng hộ Sao Mai Mobile ạ.",
        ],
        notes: &["Đã chuyển phản ánh cho quản lý khu vực, yêu cầu báo cáo trong 48h.", "Khách rất bức xúc, cần gọi điện xin lỗi trực tiếp."],
    },
];
