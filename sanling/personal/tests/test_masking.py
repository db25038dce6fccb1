from sanling.personal.masking import mask_id_number, mask_name, mask_phone


def test_a_phone_shows_its_prefix_and_last_four_digits():
    assert mask_phone("13812341234") == "138****1234"


def test_a_name_shows_its_surname_only():
    assert [mask_name(name) for name in ("张三", "张三丰", "欧阳春花", "欧阳修")] == [
        "张*",
        "张**",
        "欧阳**",
        "欧阳*",
    ]


def test_an_id_number_shows_its_first_and_last_four_characters():
    assert mask_id_number("110101199003071234") == "1101**********1234"
