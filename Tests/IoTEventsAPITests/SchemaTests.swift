import Testing
@testable import IoTEventsAPI
import IoTEventsCore
import CLibcShim

@Suite struct SchemaPatternTests {
    func m(_ p: SchemaPattern, _ s: String) -> Bool { p.matches(Array(s.utf8)) }

    @Test func attributePaths() {
        #expect(m(.attributeJsonPath, "a.b-c.`d e`"))
        #expect(m(.attributeJsonPath, "`x`"))
        #expect(!m(.attributeJsonPath, "a..b"))
        #expect(!m(.attributeJsonPath, "a."))
        #expect(!m(.attributeJsonPath, "$input.a"))
        #expect(!m(.attributeJsonPath, "a[0]"))
        #expect(!m(.attributeJsonPath, "``"))
        #expect(!m(.attributeJsonPath, "a b"))
    }

    @Test func names() {
        #expect(m(.identifier, "Pump_7"))
        #expect(!m(.identifier, "7Pump"))
        #expect(!m(.identifier, ""))
        #expect(m(.dataInputName, "7Pump.x-y"))
        #expect(!m(.dataInputName, ".x"))
        #expect(m(.keyValue, "a:b-c_d"))
        #expect(!m(.keyValue, "a/b"))
        #expect(m(.idCharacters, "m-1_2"))
        #expect(!m(.idCharacters, "m.1"))
        #expect(m(.firehoseSeparator, "\r\n"))
        #expect(!m(.firehoseSeparator, ",,"))
        #expect(m(.uuid, "5f0c2a1e-0000-4000-8000-0000000000a1"))
        #expect(!m(.uuid, "5F0C2A1E-0000-4000-8000-0000000000A1"))
        #expect(!m(.uuid, "00000000-0000-0000-0000-000000000000"))
        #expect(!m(.uuid, "5f0c2a1e00000-4000-8000-0000000000a1"))
        #expect(m(.noControlCharacters, "/plant/boiler 1/temperature"))
        #expect(!m(.noControlCharacters, "a\tb"))
    }

    @Test func everyOperationHasARequestStructure() {
        for op in Operation.allCases {
            #expect(schemaShapes[op.requestShape].kind == .structure)
        }
        // Both services' 38 operations and the engine's BatchPutAssetPropertyValue (tools/codegen-extras.json).
        #expect(Operation.allCases.count == 39)
    }
}

@Suite struct ServiceTests {
    func call(_ service: Service, _ op: String, _ body: String) -> (Int32, String) {
        let result = op.withCString { o in body.withCString { b in service.call(o, b) } }
        defer { free(result.body) }
        return (result.status, result.body.map { String(cString: $0) } ?? "")
    }

    @Test func validationNamesThePath() throws {
        let service = try Service.open(configuration: nil)
        let (status, body) = call(service, "CreateInput", #"{"inputName":"A","inputDefinition":{"attributes":[{"jsonPath":"ok"},{"jsonPath":"bad path"}]}}"#)
        #expect(status == 1)
        #expect(body.contains("inputDefinition.attributes[1].jsonPath"))
    }

    @Test func depthIsLimitedBeforeParsing() throws {
        let service = try Service.open(configuration: nil)
        let deep = String(repeating: "[", count: 100_000)
        let (status, body) = call(service, "ListInputs", deep)
        #expect(status == 1)
        #expect(body.contains("maxJsonDepth"))
    }
}
