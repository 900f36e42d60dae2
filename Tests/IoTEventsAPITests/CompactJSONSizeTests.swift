import CJanssonShim
import Testing
@testable import IoTEventsAPI
import IoTEventsCore

/// CompactJSONSize must agree with jansson's own compact printing byte for byte: it decides
/// whether a payload is over `maxPayloadBytes`, and the error quotes the number.
@Suite struct CompactJSONSizeTests {
    static let documents = [
        #"{}"#, #"[]"#, #"{"a":1}"#, #"[0,-1,9,10,-10,99,100,-9223372036854775808,9223372036854775807]"#,
        #"{"t":true,"f":false,"n":null,"e":[],"o":{}}"#,
        #"{"s":"plain","q":"a\"b","b":"a\\b","c":"\b\f\n\r\t","u":"\u0001\u001f\u007f","slash":"a/b"}"#,
        #"{"utf8":"grüße 温度 😀","ключ":"значение","key\"quoted":1,"nul":"a\u0000b"}"#,  // jansson refuses NUL in keys
        #"{"r":[0.0,1.5,-2.25,1e300,1.7976931348623157e308,5e-324,0.1,100000000000000000000.0,123456789.123456789]}"#,
        #"{"deep":{"a":[{"b":[[[{"c":"d"}]]]}]},"after":[1,[2,[3]]]}"#,
    ]

    @Test(arguments: documents) func agreesWithJanssonDump(_ text: String) throws {
        var error = json_error_t()
        let raw = try #require(json_loadb(text, text.utf8.count, ie_json_load_flags(1), &error))
        defer { ie_json_decref(raw) }
        #expect(CompactJSONSize.of(JSONValue(raw)) == json_dumpb(raw, nil, 0, ie_json_dump_flags(17)))
    }
}
