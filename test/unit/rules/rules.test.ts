// One case per izer rule that can be decided from the YAML and the device: the base network passes the
// rule, the mutated network fires it on the expected line.
import * as assert from 'node:assert';
import { checkNetwork, CheckResult } from '../../../server/src/engine/check';
import type { DeviceName } from '../../../server/src/engine/device/devices';
import { ruleOf } from '../../../server/src/engine/rules';

const BASE = `---
# ai8x rules fixture
arch: testnet
dataset: test_data
layers:
  - processors: 0x0000000000000007
    in_offset: 0x0000
    out_offset: 0x4000
    op: conv2d
    kernel_size: 3x3
    pad: 1
    activate: ReLU
    data_format: HWC
  - processors: 0x00000000ffff0000
    out_offset: 0x0000
    op: conv2d
    max_pool: 2
    pool_stride: 2
    pad: 1
    activate: ReLU
    name: second
  - processors: 0x00000000000000ff
    out_offset: 0x4000
    op: conv2d
    kernel_size: 1x1
    pad: 0
    activate: None
    name: third
  - processors: 0x0000000000ffffff
    out_offset: 0x0000
    op: mlp
    flatten: true
    output_width: 32
    activate: None
`;

interface Case {
  rule: string;
  what: string;
  /** Replace `from` (first occurrence) with `to` in the base text. */
  edits: [string, string][];
  /** A substring of the line the finding must be on. */
  line: string;
  device?: DeviceName;
  flags?: string[];
  base?: string;
}

const L0 = '  - processors: 0x0000000000000007\n';
const L1 = '  - processors: 0x00000000ffff0000\n';
const L2 = '  - processors: 0x00000000000000ff\n';
const L3 = '  - processors: 0x0000000000ffffff\n';
const after = (anchor: string, extra: string): [string, string] => [anchor, anchor + extra];

const CASES: Case[] = [
  {
    rule: 'IZ012',
    what: 'duplicate key',
    edits: [['    pad: 1\n    activate: ReLU\n    data_format', '    pad: 1\n    pad: 2\n    activate: ReLU\n    data_format']],
    line: 'pad: 2',
  },
  { rule: 'IZ014', what: 'unknown top-level key', edits: [['dataset: test_data\n', 'dataset: test_data\nlayer: []\n']], line: 'layer: []' },
  { rule: 'IZ015', what: 'missing dataset', edits: [['dataset: test_data\n', '']], line: 'arch: testnet' },
  { rule: 'IZ016', what: 'unknown layer key', edits: [['    pool_stride: 2\n', '    pool_strde: 2\n']], line: 'pool_strde' },
  { rule: 'IZ017', what: 'sequence beyond the device', edits: [after(L3, '    sequence: 40\n')], line: 'sequence: 40' },
  { rule: 'IZ018', what: 'sequence number reused', edits: [after(L2, '    sequence: 1\n')], line: 'sequence: 1' },
  {
    rule: 'IZ019',
    what: 'processors missing',
    edits: [
      [L2, '  - name_placeholder: 1\n'],
      ['name_placeholder: 1', 'op_x: 1'],
    ],
    line: 'op_x',
  },
  { rule: 'IZ020', what: 'processors not hex', edits: [['0x00000000000000ff', '0xfffffffffffffffg']], line: 'processors: 0xfffffffffffffffg' },
  { rule: 'IZ020', what: 'processors zero', edits: [['0x00000000000000ff', '0']], line: 'processors: 0' },
  { rule: 'IZ021', what: 'output_processors too wide', edits: [after(L0, '    output_processors: 0x1ffffffffffffffff\n')], line: 'output_processors' },
  { rule: 'IZ022', what: 'quantization 3', edits: [after(L1, '    quantization: 3\n')], line: 'quantization: 3' },
  { rule: 'IZ023', what: 'in_dim with three values', edits: [after(L1, '    in_dim: [1, 2, 3]\n')], line: 'in_dim' },
  { rule: 'IZ024', what: 'in_skip and read_gap', edits: [after(L1, '    in_skip: 0\n    read_gap: 0\n')], line: 'read_gap' },
  {
    rule: 'IZ025',
    what: 'out_offset missing',
    edits: [['    out_offset: 0x0000\n    op: conv2d\n', '    op: conv2d\n']],
    line: 'processors: 0x00000000ffff0000',
  },
  { rule: 'IZ026', what: 'activate and activation', edits: [after(L1, '    activation: ReLU\n')], line: 'activate: ReLU' },
  { rule: 'IZ027', what: 'unknown activation', edits: [['    activate: ReLU\n    name: second', '    activate: Sigmoid\n    name: second']], line: 'Sigmoid' },
  { rule: 'IZ028', what: 'op and operation', edits: [after(L1, '    operation: conv2d\n')], line: '    op: conv2d' },
  { rule: 'IZ029', what: 'unknown operation', edits: [['    op: mlp', '    op: dense']], line: 'op: dense' },
  {
    rule: 'IZ030',
    what: 'no operation',
    edits: [['    out_offset: 0x0000\n    op: conv2d\n', '    out_offset: 0x0000\n']],
    line: 'processors: 0x00000000ffff0000',
  },
  {
    rule: 'IZ031',
    what: 'no activation on a conv',
    edits: [['    activate: ReLU\n    name: second\n', '    name: second\n']],
    line: 'processors: 0x00000000ffff0000',
  },
  { rule: 'IZ032', what: 'negative pad', edits: [['    pad: 0\n', '    pad: -1\n']], line: 'pad: -1' },
  {
    rule: 'IZ033',
    what: 'dilation on passthrough',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n', '    op: passthrough\n    dilation: 2\n']],
    line: 'dilation',
  },
  { rule: 'IZ034', what: 'unknown eltwise', edits: [after(L1, '    eltwise: mul\n')], line: 'eltwise: mul' },
  { rule: 'IZ035', what: 'operands without eltwise', edits: [after(L1, '    operands: 2\n')], line: 'operands' },
  { rule: 'IZ036', what: 'operands 17', edits: [after(L1, '    eltwise: add\n    operands: 17\n')], line: 'operands: 17' },
  { rule: 'IZ037', what: 'bad data format', edits: [['data_format: HWC', 'data_format: HCW']], line: 'HCW' },
  { rule: 'IZ038', what: 'output_width 16', edits: [['output_width: 32', 'output_width: 16']], line: 'output_width: 16' },
  { rule: 'IZ039', what: 'kernel_size on linear', edits: [['    flatten: true\n', '    flatten: true\n    kernel_size: 1x1\n']], line: 'kernel_size: 1x1' },
  { rule: 'IZ040', what: 'conv2d 5x5', edits: [['kernel_size: 3x3', 'kernel_size: 5x5']], line: '5x5' },
  { rule: 'IZ041', what: 'unequal stride', edits: [after(L2, '    stride: [1, 2]\n')], line: 'stride' },
  { rule: 'IZ042', what: 'stride while pooling', edits: [after(L1, '    stride: 2\n')], line: 'stride: 2' },
  {
    rule: 'IZ043',
    what: 'ConvTranspose2d stride 1',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n', '    op: convtranspose2d\n    stride: 1\n    pad: 1\n']],
    line: 'stride: 1',
  },
  { rule: 'IZ044', what: 'groups and conv_groups', edits: [after(L1, '    groups: 1\n    conv_groups: 1\n')], line: 'conv_groups' },
  { rule: 'IZ045', what: 'bias_group and bias_quadrant', edits: [after(L1, '    bias_group: 0\n    bias_quadrant: 0\n')], line: 'bias_quadrant' },
  { rule: 'IZ046', what: 'pool_dilation without pooling', edits: [after(L0, '    pool_dilation: 2\n')], line: 'pool_dilation' },
  { rule: 'IZ047', what: 'negative output_pad', edits: [after(L0, '    output_pad: -1\n')], line: 'output_pad' },
  { rule: 'IZ048', what: 'duplicate name', edits: [['name: third', 'name: SECOND']], line: 'SECOND' },
  { rule: 'IZ048', what: 'name input', edits: [['name: third', 'name: input']], line: 'name: input' },
  { rule: 'IZ049', what: 'name stop', edits: [['name: third', 'name: stop']], line: 'name: stop' },
  { rule: 'IZ050', what: 'buffer_shift not an int', edits: [after(L2, '    buffer_shift: two\n')], line: 'buffer_shift' },
  { rule: 'IZ051', what: 'buffer_shift zero', edits: [after(L2, '    buffer_shift: 0\n')], line: 'buffer_shift' },
  { rule: 'IZ052', what: 'buffer_shift without in_sequences', edits: [after(L2, '    buffer_shift: 1\n')], line: 'buffer_shift' },
  { rule: 'IZ053', what: 'buffer_insert not an int', edits: [after(L2, '    buffer_insert: x\n')], line: 'buffer_insert' },
  { rule: 'IZ054', what: 'buffer_insert negative', edits: [after(L2, '    buffer_insert: -3\n')], line: 'buffer_insert' },
  {
    rule: 'IZ055',
    what: 'buffer_insert without out_offset',
    edits: [['    out_offset: 0x4000\n    op: conv2d\n    kernel_size: 1x1', '    buffer_insert: 1\n    op: conv2d\n    kernel_size: 1x1']],
    line: 'buffer_insert',
  },
  {
    rule: 'IZ056',
    what: 'unknown data_buffer key',
    edits: [['layers:\n', 'data_buffer:\n  - processors: 0x1\n    dim: 4\n    channels: 1\n    offset: 0\n    name: buf\n    size: 3\nlayers:\n']],
    line: 'size: 3',
  },
  {
    rule: 'IZ057',
    what: 'data_buffer without name',
    edits: [['layers:\n', 'data_buffer:\n  - processors: 0x1\n    dim: 4\n    channels: 1\n    offset: 0\nlayers:\n']],
    line: 'processors: 0x1',
  },
  {
    rule: 'IZ058',
    what: 'layer reads the data buffer without in_dim',
    edits: [
      ['layers:\n', 'data_buffer:\n  - processors: 0x1\n    dim: 4\n    channels: 1\n    offset: 0\n    name: buf\nlayers:\n'],
      after(L2, '    in_sequences: buf\n'),
    ],
    line: 'in_sequences: buf',
  },
  { rule: 'IZ059', what: 'unknown layer name', edits: [after(L2, '    in_sequences: [secnd]\n')], line: 'in_sequences' },
  { rule: 'IZ060', what: 'pooling without pool_stride', edits: [['    pool_stride: 2\n', '']], line: 'max_pool: 2' },
  { rule: 'IZ061', what: 'pool_first false without eltwise', edits: [after(L1, '    pool_first: false\n')], line: 'pool_first' },
  {
    rule: 'IZ062',
    what: 'unknown unload key',
    edits: [['layers:\n', 'unload:\n  - processors: 0x1\n    dim: 4\n    channels: 1\n    offset: 0\n    depth: 1\nlayers:\n']],
    line: 'depth: 1',
  },
  {
    rule: 'IZ063',
    what: 'unload without dim',
    edits: [['layers:\n', 'unload:\n  - processors: 0x1\n    channels: 1\n    offset: 0\nlayers:\n']],
    line: 'processors: 0x1',
  },
  { rule: 'IZ096', what: 'next_sequence jump on MAX78000', edits: [after(L0, '    next_sequence: 2\n')], line: 'next_sequence: 2' },
  { rule: 'IZ097', what: 'next_sequence beyond the layers', edits: [after(L2, '    next_sequence: 9\n')], line: 'next_sequence: 9', device: 'MAX78002' },
  { rule: 'IZ098', what: 'output layer but not final', edits: [after(L1, '    output: true\n')], line: 'processors: 0x0000000000ffffff' },
  {
    rule: 'IZ099',
    what: 'wide final output with ReLU',
    edits: [['    output_width: 32\n    activate: None\n', '    output_width: 32\n    activate: ReLU\n']],
    line: 'output_width: 32',
  },
  { rule: 'IZ100', what: 'first layer pools', edits: [after(L0, '    max_pool: 2\n    pool_stride: 2\n')], line: 'max_pool: 2' },
  { rule: 'IZ104', what: 'streaming after non-streaming', edits: [after(L1, '    streaming: true\n')], line: 'streaming: true' },
  { rule: 'IZ105', what: 'CHW on a later layer', edits: [after(L1, '    data_format: CHW\n')], line: 'data_format: CHW' },
  {
    rule: 'IZ106',
    what: 'wide output on an intermediate layer',
    edits: [['    pad: 0\n    activate: None\n    name: third', '    pad: 0\n    activate: None\n    output_width: 32\n    name: third']],
    line: 'output_width: 32',
  },
  {
    rule: 'IZ107',
    what: 'in_sequences beyond the layers on MAX78002',
    edits: [after(L1, '    in_sequences: [7]\n')],
    line: 'in_sequences: [7]',
    device: 'MAX78002',
  },
  { rule: 'IZ108', what: 'in_sequences names a later layer', edits: [after(L1, '    in_sequences: [2]\n')], line: 'in_sequences: [2]' },
  { rule: 'IZ113', what: 'non-square pool stride', edits: [['    pool_stride: 2\n', '    pool_stride: [2, 1]\n']], line: 'pool_stride' },
  { rule: 'IZ116', what: 'stride 2 on conv2d', edits: [after(L0, '    stride: 2\n')], line: 'stride: 2' },
  {
    rule: 'IZ119',
    what: 'pad 3',
    edits: [['    pad: 1\n    activate: ReLU\n    data_format', '    pad: 3\n    activate: ReLU\n    data_format']],
    line: 'pad: 3',
  },
  {
    rule: 'IZ120',
    what: 'conv1d stride 2',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n', '    op: conv1d\n    kernel_size: 1\n    pad: 0\n    stride: 2\n']],
    line: 'stride: 2',
  },
  {
    rule: 'IZ121',
    what: 'padding on passthrough',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n    activate: None\n', '    op: passthrough\n    pad: 1\n']],
    line: 'pad: 1',
  },
  {
    rule: 'IZ122',
    what: '1x1 kernel with default padding',
    edits: [['    kernel_size: 1x1\n    pad: 0\n', '    kernel_size: 1x1\n']],
    line: 'kernel_size: 1x1',
  },
  {
    rule: 'IZ126',
    what: 'ReLU on passthrough',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n    activate: None\n', '    op: passthrough\n    activate: ReLU\n']],
    line: 'activate: ReLU',
  },
  { rule: 'IZ127', what: 'buffer_shift on a conv', edits: [after(L2, '    buffer_shift: 1\n    in_sequences: [1]\n')], line: 'buffer_shift' },
  { rule: 'IZ133', what: 'readahead on MAX78000', edits: [after(L1, '    readahead: true\n')], line: 'readahead' },
  { rule: 'IZ134', what: 'calcx4 on MAX78000', edits: [after(L1, '    calcx4: true\n')], line: 'calcx4' },
  { rule: 'IZ138', what: 'snoop on MAX78000', edits: [['layers:\n', 'snoop: [0, 0]\nlayers:\n']], line: 'snoop' },
  { rule: 'IZ156', what: 'first layer streams without --fifo', edits: [after(L0, '    streaming: true\n')], line: 'streaming: true' },
  {
    rule: 'IZ158',
    what: 'streaming layer jumps',
    edits: [after(L0, '    streaming: true\n    next_sequence: 2\n')],
    line: 'next_sequence',
    device: 'MAX78002',
    flags: ['--fifo'],
  },
  {
    rule: 'IZ160',
    what: 'last streaming layer without padding on MAX78000',
    edits: [['    pad: 1\n    activate: ReLU\n    data_format', '    pad: 0\n    streaming: true\n    activate: ReLU\n    data_format']],
    line: 'pad: 0',
    flags: ['--fifo'],
  },
  {
    rule: 'IZ161',
    what: 'streaming passthrough on MAX78002',
    edits: [
      ['    op: conv2d\n    kernel_size: 3x3\n    pad: 1\n', '    op: passthrough\n    streaming: true\n    pad: 0\n'],
      ['    activate: ReLU\n    data_format: HWC', '    data_format: HWC'],
    ],
    line: 'streaming',
    device: 'MAX78002',
    flags: ['--fifo'],
  },
  { rule: 'IZ162', what: '--softmax with 8-bit output', edits: [['output_width: 32', 'output_width: 8']], line: 'output_width: 8', flags: ['--softmax'] },
  { rule: 'IZ163', what: '--fast-fifo without --riscv', edits: [], line: 'layers:', flags: ['--fast-fifo'] },
  { rule: 'IZ166', what: 'bypass on MAX78000', edits: [after(L2, '    bypass: true\n')], line: 'bypass' },
  { rule: 'IZ167', what: 'binary weights on MAX78000', edits: [after(L1, '    quantization: binary\n')], line: 'quantization: binary' },
  { rule: 'IZ168', what: 'too many layers with hidden avg-pool resets', edits: [], line: 'layers:', device: 'MAX78002', base: manyLayers(100) },
  {
    rule: 'IZ169',
    what: '1-bit next to binary',
    edits: [after(L1, '    quantization: binary\n'), after(L2, '    quantization: 1\n')],
    line: 'quantization: 1',
    device: 'MAX78002',
  },
  { rule: 'IZ171', what: 'CHW processors share a memory', edits: [['data_format: HWC', 'data_format: CHW']], line: 'processors: 0x0000000000000007' },
  {
    rule: 'IZ174',
    what: 'Conv1d with eltwise',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n', '    op: conv1d\n    kernel_size: 1\n    eltwise: add\n']],
    line: 'eltwise: add',
  },
  {
    rule: 'IZ178',
    what: 'pool last with 3 operands',
    edits: [
      ['    op: conv2d\n    max_pool: 2\n', '    op: add\n    operands: 3\n    pool_first: false\n    max_pool: 2\n'],
      ['    pad: 1\n    activate: ReLU\n    name: second', '    pad: 0\n    name: second'],
    ],
    line: 'pool_first',
  },
  { rule: 'IZ179', what: 'dilation on conv2d', edits: [after(L1, '    dilation: 2\n')], line: 'dilation' },
  {
    rule: 'IZ180',
    what: 'dilation with kernel 1',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n', '    op: conv1d\n    kernel_size: 1\n    dilation: 2\n']],
    line: 'dilation',
  },
  {
    rule: 'IZ188',
    what: 'long dilated Conv1d kernel',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n', '    op: conv1d\n    kernel_size: 5\n    dilation: 3\n']],
    line: 'kernel_size: 5',
  },
  {
    rule: 'IZ182',
    what: 'Conv2d-emulated dilation with padding',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n', '    op: conv1d\n    kernel_size: 3\n    pad: 1\n    dilation: 5\n']],
    line: 'pad: 1',
  },
  {
    rule: 'IZ187',
    what: 'Conv2d-emulated dilation at offset 0',
    edits: [
      [
        '    out_offset: 0x4000\n    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n',
        '    out_offset: 0x0000\n    op: conv1d\n    kernel_size: 3\n    pad: 0\n    dilation: 5\n',
      ],
    ],
    line: 'out_offset: 0x0000',
  },
  {
    rule: 'IZ191',
    what: 'passthrough with padding (backend)',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n    activate: None\n', '    op: passthrough\n    pad: 1\n']],
    line: 'pad: 1',
  },
  {
    rule: 'IZ192',
    what: 'passthrough with output_shift',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n    activate: None\n', '    op: passthrough\n    output_shift: 1\n']],
    line: 'output_shift',
  },
  {
    rule: 'IZ194',
    what: 'ConvTranspose2d pad 3',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n', '    op: convtranspose2d\n    pad: 3\n']],
    line: 'pad: 3',
  },
  {
    rule: 'IZ195',
    what: 'ConvTranspose2d output_pad 0',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n', '    op: convtranspose2d\n    pad: 1\n    output_pad: 0\n']],
    line: 'output_pad',
  },
  { rule: 'IZ196', what: 'output_pad on conv2d', edits: [after(L1, '    output_pad: 1\n')], line: 'output_pad' },
  {
    rule: 'IZ198',
    what: 'flatten on passthrough',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n    activate: None\n', '    op: passthrough\n    flatten: true\n']],
    line: 'flatten',
  },
  {
    rule: 'IZ199',
    what: 'flatten with pooling',
    edits: [['    flatten: true\n', '    flatten: true\n    max_pool: 2\n    pool_stride: 2\n']],
    line: 'flatten: true',
  },
  { rule: 'IZ200', what: 'flatten with streaming', edits: [['    flatten: true\n', '    flatten: true\n    streaming: true\n']], line: 'flatten: true' },
  { rule: 'IZ201', what: 'depthwise on MAX78000', edits: [after(L1, '    groups: 16\n')], line: 'groups' },
  { rule: 'IZ203', what: 'depthwise with flatten', edits: [['    flatten: true\n', '    flatten: true\n    groups: 2\n']], line: 'groups', device: 'MAX78002' },
  { rule: 'IZ204', what: 'depthwise with bias_group', edits: [after(L1, '    groups: 16\n    bias_group: 0\n')], line: 'bias_group', device: 'MAX78002' },
  { rule: 'IZ205', what: 'read_gap on MAX78000', edits: [after(L1, '    read_gap: 1\n')], line: 'read_gap' },
  { rule: 'IZ207', what: 'pool_dilation on MAX78000', edits: [after(L1, '    pool_dilation: 2\n')], line: 'pool_dilation' },
  {
    rule: 'IZ208',
    what: 'in_sequences maps do not combine to processors',
    edits: [after(L3, '    in_sequences: [second]\n')],
    line: 'processors: 0x0000000000ffffff',
  },
  {
    rule: 'IZ214',
    what: 'element-wise inputs from different processors',
    edits: [
      ['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n    activate: None\n', '    op: add\n    in_sequences: [0, 1]\n    pad: 0\n'],
      after(L0, '    output_processors: 0x00000000000000ff\n'),
      after(L1, '    output_processors: 0x000000000000ff00\n'),
    ],
    line: 'in_sequences: [0, 1]',
  },
  {
    rule: 'IZ215',
    what: 'processors without data',
    edits: [after(L2, '    in_sequences: [0]\n'), after(L0, '    output_processors: 0x000000000000000f\n')],
    line: 'processors: 0x00000000000000ff',
  },
  {
    rule: 'IZ216',
    what: 'wide passthrough',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n    activate: None\n', '    op: passthrough\n    output_width: 32\n']],
    line: 'output_width: 32',
  },
  {
    rule: 'IZ225',
    what: 'passthrough output not packed',
    edits: [['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n    activate: None\n', '    op: passthrough\n    output_processors: 0x0000000000000f0f\n']],
    line: 'output_processors',
  },
  {
    rule: 'IZ226',
    what: 'depthwise output unaligned',
    edits: [after(L1, '    groups: 16\n    output_processors: 0x000000000000fffe\n')],
    line: 'output_processors',
    device: 'MAX78002',
  },
  {
    rule: 'IZ231',
    what: 'quadrant 0 unused',
    edits: [
      ['0x0000000000000007', '0x0000000700000000'],
      ['0x0000000000ffffff', '0x00ffffff00000000'],
      ['0x00000000000000ff', '0x000000ff00000000'],
      ['    output_width: 32\n', '    output_width: 32\n    output_processors: 0x0003ff0000000000\n'],
    ],
    line: 'layers:',
  },
  {
    rule: 'IZ232',
    what: 'bias_group names an unused quadrant',
    edits: [['0x0000000000ffffff', '0x000000000000ffff'], after(L2, '    bias_group: 3\n'), ['0x00000000ffff0000', '0x000000000000ffff']],
    line: 'bias_group: 3',
  },
  { rule: 'AX002', what: 'quoted false', edits: [['flatten: true', 'flatten: "false"']], line: 'flatten' },
  {
    rule: 'AX003',
    what: 'first layer without op and activation (izer crash)',
    edits: [['    op: conv2d\n    kernel_size: 3x3\n    pad: 1\n    activate: ReLU\n', '    kernel_size: 3x3\n    pad: 1\n']],
    line: 'processors: 0x0000000000000007',
  },
  { rule: 'AX001', what: 'pad as a string (izer crash)', edits: [['    pad: 0\n', '    pad: "one"\n']], line: 'pad: "one"' },
  {
    rule: 'AX004',
    what: 'Conv1d default padding quirk',
    edits: [
      ['    op: conv2d\n    kernel_size: 1x1\n    pad: 0\n', '    op: conv1d\n    kernel_size: 3\n'],
      ['    kernel_size: 3x3\n    pad: 1\n', '    kernel_size: 3x3\n'],
    ],
    line: 'processors: 0x0000000000000007',
  },
  { rule: 'AX005', what: 'both max_pool and avg_pool', edits: [after(L1, '    avg_pool: 2\n')], line: 'avg_pool' },
  { rule: 'AX301', what: 'next_sequence loop', edits: [after(L2, '    next_sequence: 1\n')], line: 'next_sequence: 1', device: 'MAX78002' },
];

/** Element-wise layers each followed by an average pool: on MAX78002 every pool needs a hidden reset layer. */
function manyLayers(n: number): string {
  const lines = ['arch: testnet', 'dataset: test_data', 'layers:'];
  for (let i = 0; i < n; i++) {
    lines.push('  - processors: 0x0000000000000001', `    out_offset: ${i % 2 ? '0x0000' : '0x4000'}`);
    lines.push(...(i % 2 ? ['    op: passthrough', '    avg_pool: 2', '    pool_stride: 1'] : ['    op: add']));
  }
  return lines.join('\n') + '\n';
}

function run(text: string, c: Case): CheckResult {
  return checkNetwork({ text, fileName: 'fixture.yaml', deviceOverride: c.device ?? 'MAX78000', izerFlags: c.flags });
}

function apply(text: string, edits: [string, string][]): string {
  let out = text;
  for (const [from, to] of edits) {
    assert.ok(out.includes(from), `fixture edit anchor not found: ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
}

describe('izer rules decidable from the YAML and the device', () => {
  it('the base fixture is clean', () => {
    for (const device of ['MAX78000', 'MAX78002'] as const) {
      const r = checkNetwork({ text: BASE, fileName: 'fixture.yaml', deviceOverride: device });
      const errors = r.diagnostics.filter((d) => d.severity !== 'information');
      assert.deepStrictEqual(
        errors.map((d) => `${d.code} ${d.message}`),
        [],
      );
    }
  });

  for (const c of CASES) {
    it(`${c.rule}: ${c.what}`, () => {
      const base = c.base ?? BASE;
      const before = run(c.edits.length ? base : BASE, c).diagnostics.filter((d) => d.code === c.rule);
      if (c.edits.length)
        assert.deepStrictEqual(
          before.map((d) => d.message),
          [],
          'the rule must not fire on the base network',
        );
      const text = apply(base, c.edits);
      const r = run(text, c);
      const hits = r.diagnostics.filter((d) => d.code === c.rule);
      assert.ok(hits.length > 0, `expected ${c.rule}; got ${r.diagnostics.map((d) => d.code).join(', ') || 'nothing'}`);
      const lines = hits.map((d) => text.split('\n')[r.lines.position(d.range[0]).line]);
      assert.ok(
        lines.some((l) => l.includes(c.line)),
        `expected ${c.rule} on a line containing ${JSON.stringify(c.line)}; found on ${JSON.stringify(lines)}`,
      );
      const entry = ruleOf(c.rule);
      assert.ok(entry, `${c.rule} is in the rule catalogue`);
      for (const d of hits) {
        assert.ok(d.range[0] >= 0 && d.range[1] <= text.length && d.range[0] <= d.range[1], 'range inside the document');
        assert.ok(d.message.length > 10);
        if (!entry.otherwise) assert.strictEqual(d.severity, entry.severity, `${c.rule} is reported with the catalogue's severity`);
      }
    });
  }
});
