<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActualsDialog</name>
    <message>
        <source>Actual values by year</source>
        <translation>分年度实际值</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>For</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Note (source, remark)</source>
        <translation>备注（来源、说明）</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>The whole zone (zone-wide value)</source>
        <translation>全区（全区数值）</translation>
    </message>
    <message>
        <source>Enter the year-end figure (a count or amount), not the change.</source>
        <translation>请填写年末数（数量或金额），而不是增量。</translation>
    </message>
    <message>
        <source>Enter the share in % for each year.</source>
        <translation>请填写各年度的比重（%）。</translation>
    </message>
    <message>
        <source>Enter each year&apos;s growth rate in % (year on year); the target is an average annual rate.</source>
        <translation>请填写各年度同比增长率（%）；目标为年均增长率。</translation>
    </message>
    <message>
        <source>Enter the cumulative decline since {year} in % (for example 5.2 for a fall of 5.2%).</source>
        <translation>请填写自{year}年以来的累计下降幅度（%），例如下降5.2%填写 5.2。</translation>
    </message>
    <message>
        <source>Enter the value for each year; it must stay within the bound.</source>
        <translation>请填写各年度数值；数值应控制在上限以内。</translation>
    </message>
    <message>
        <source>Enter the figure for each year; the target is a range.</source>
        <translation>请填写各年度数值；目标为区间。</translation>
    </message>
    <message>
        <source>A qualitative target: write the assessment in the note.</source>
        <translation>定性目标：请在备注中填写评估结论。</translation>
    </message>
    <message>
        <source>The plan gives no numeric target for this figure.</source>
        <translation>规划未给出该数据的数值目标。</translation>
    </message>
    <message>
        <source>Baseline {baseline} ({byear}) → target {target} ({tyear}), unit {unit}</source>
        <translation>基期值 {baseline}（{byear}年）→ 目标值 {target}（{tyear}年），单位 {unit}</translation>
    </message>
    <message>
        <source>Not a usable number in {years}: use digits such as 1234.5 (a % sign is allowed; values beyond ±1e15 are refused).</source>
        <translation>{years}年的数值不可用：请填写如 1234.5 的数字（可带 % 号；超出 ±1e15 的数值不予接受）。</translation>
    </message>
</context>
<context>
    <name>AttributeTable</name>
    <message>
        <source>Filter:</source>
        <translation>筛选：</translation>
    </message>
    <message>
        <source>text in any field</source>
        <translation>任意字段中的文字</translation>
    </message>
    <message>
        <source>All fields</source>
        <translation>全部字段</translation>
    </message>
    <message>
        <source>{shown} of {total} features, {selected} selected</source>
        <translation>显示 {shown} / 共 {total} 个要素，已选 {selected} 个</translation>
    </message>
</context>
<context>
    <name>BasemapController</name>
    <message>
        <source>Add &amp;basemap…</source>
        <translation>添加底图(&amp;B)…</translation>
    </message>
    <message>
        <source>The basemap was not added</source>
        <translation>未添加底图</translation>
    </message>
    <message>
        <source>Hidden so the basemap shows: {layers}</source>
        <translation>为显示底图已隐藏：{layers}</translation>
    </message>
</context>
<context>
    <name>BasemapDialog</name>
    <message>
        <source>Add basemap</source>
        <translation>添加底图</translation>
    </message>
    <message>
        <source>Your XYZ tile URL</source>
        <translation>自定义 XYZ 瓦片地址</translation>
    </message>
    <message>
        <source>Your WMTS layer (Web Mercator)</source>
        <translation>自定义 WMTS 图层（Web 墨卡托）</translation>
    </message>
    <message>
        <source>MBTiles file (offline)</source>
        <translation>MBTiles 文件（离线）</translation>
    </message>
    <message>
        <source>With the annotation layer</source>
        <translation>同时添加注记图层</translation>
    </message>
    <message>
        <source>Your Tianditu key (kept in the system keyring)</source>
        <translation>您的天地图密钥（保存在系统密钥环中）</translation>
    </message>
    <message>
        <source>GS(year)number号, as the foot of tianditu.gov.cn shows it</source>
        <translation>GS(年份)编号号，以天地图网站页脚所示为准</translation>
    </message>
    <message>
        <source>Read layers</source>
        <translation>读取图层</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Basemap:</source>
        <translation>底图：</translation>
    </message>
    <message>
        <source>Tianditu key:</source>
        <translation>天地图密钥：</translation>
    </message>
    <message>
        <source>Map review number (审图号):</source>
        <translation>审图号：</translation>
    </message>
    <message>
        <source>Tile URL:</source>
        <translation>瓦片地址：</translation>
    </message>
    <message>
        <source>Layer of the service:</source>
        <translation>服务中的图层：</translation>
    </message>
    <message>
        <source>WMTS layer:</source>
        <translation>WMTS 图层：</translation>
    </message>
    <message>
        <source>Reading the service&apos;s layers…</source>
        <translation>正在读取服务的图层…</translation>
    </message>
    <message>
        <source>{name} (Web Mercator, zoom {low}-{high})</source>
        <translation>{name}（Web 墨卡托，缩放级别 {low}-{high}）</translation>
    </message>
    <message>
        <source>{name} cannot be drawn: {reason}</source>
        <translation>{name} 无法绘制：{reason}</translation>
    </message>
    <message>
        <source>The layer {layer} has no Web Mercator (EPSG:3857) tile matrix set, which gisapp needs to draw it.</source>
        <translation>图层 {layer} 没有 Web 墨卡托（EPSG:3857）切片矩阵集，gisapp 需要它才能绘制。</translation>
    </message>
    <message>
        <source>Tile matrix set:</source>
        <translation>瓦片矩阵集：</translation>
    </message>
    <message>
        <source>Attribution:</source>
        <translation>版权说明：</translation>
    </message>
    <message>
        <source>Highest zoom:</source>
        <translation>最大缩放级别：</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Open MBTiles</source>
        <translation>打开 MBTiles</translation>
    </message>
    <message>
        <source>MBTiles (*.mbtiles);;All files (*)</source>
        <translation>MBTiles (*.mbtiles);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose an MBTiles file.</source>
        <translation>请选择一个 MBTiles 文件。</translation>
    </message>
    <message>
        <source>Give the WMTS layer name.</source>
        <translation>请填写 WMTS 图层名称。</translation>
    </message>
</context>
<context>
    <name>BookmarksPanel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>CRS</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Bookmark the current view (Ctrl+B)</source>
        <translation>将当前视图存为书签（Ctrl+B）</translation>
    </message>
    <message>
        <source>Go to</source>
        <translation>转到</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>No bookmarks yet: Add keeps the current view under a name.</source>
        <translation>尚无书签：“添加”以一个名称保存当前视图。</translation>
    </message>
</context>
<context>
    <name>CanvasCrsDialog</name>
    <message>
        <source>Map CRS</source>
        <translation>地图坐标系</translation>
    </message>
</context>
<context>
    <name>CanvasTools</name>
    <message>
        <source>Snapping on ({px} px)</source>
        <translation>捕捉已开启（{px} 像素）</translation>
    </message>
    <message>
        <source>Snapping off</source>
        <translation>捕捉已关闭</translation>
    </message>
    <message>
        <source>Area {value}</source>
        <translation>面积 {value}</translation>
    </message>
    <message>
        <source>Perimeter {value}</source>
        <translation>周长 {value}</translation>
    </message>
    <message>
        <source>Length {value}</source>
        <translation>长度 {value}</translation>
    </message>
    <message>
        <source>Angle {value}°</source>
        <translation>角度 {value}°</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Conflicting edits — {layer}</source>
        <translation>编辑冲突 — {layer}</translation>
    </message>
    <message>
        <source>Someone else saved changes to {n} of the features you edited since you loaded them. Nothing was written. Decide for each feature which version to keep; the save goes on when every feature has a decision.</source>
        <translation>在您载入之后，他人已保存了您所编辑要素中 {n} 个的修改。尚未写入任何内容。请为每个要素决定保留哪个版本；所有要素都有决定后才会继续保存。</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>As loaded</source>
        <translation>载入时</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation>他人的</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <source>Take theirs</source>
        <translation>采用他人的</translation>
    </message>
    <message>
        <source>Edit result</source>
        <translation>编辑结果</translation>
    </message>
    <message>
        <source>Result geometry:</source>
        <translation>结果几何：</translation>
    </message>
    <message>
        <source>Save with these decisions</source>
        <translation>按这些决定保存</translation>
    </message>
    <message>
        <source>Cancel the save</source>
        <translation>取消保存</translation>
    </message>
    <message>
        <source>keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <source>take theirs</source>
        <translation>采用他人的</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <source>undecided</source>
        <translation>未决定</translation>
    </message>
    <message>
        <source>{n} feature(s) still to decide</source>
        <translation>还有 {n} 个要素待决定</translation>
    </message>
    <message>
        <source>Every feature has a decision.</source>
        <translation>每个要素都已决定。</translation>
    </message>
    <message>
        <source>another editor</source>
        <translation>另一位编辑者</translation>
    </message>
    <message>
        <source>Changed on the server by {user} at {time} (version {base} → {theirs}).</source>
        <translation>{user} 于 {time} 在服务器上修改（版本 {base} → {theirs}）。</translation>
    </message>
    <message>
        <source>They deleted this feature.</source>
        <translation>对方删除了此要素。</translation>
    </message>
    <message>
        <source>You deleted this feature: keep your delete, or cancel the save and undo the delete to keep theirs.</source>
        <translation>您删除了此要素：可保留删除；若要保留对方的版本，请取消保存并撤销删除。</translation>
    </message>
    <message>
        <source>No geometry on either side.</source>
        <translation>双方都没有几何。</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>PostGIS connection</source>
        <translation>PostGIS 连接</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Service (pg_service.conf)</source>
        <translation>服务（pg_service.conf）</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>SSL mode</source>
        <translation>SSL 模式</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>e.g. Bureau plan server</source>
        <translation>例如：规划院服务器</translation>
    </message>
    <message>
        <source>none: use the fields below</source>
        <translation>无：使用下面的字段</translation>
    </message>
    <message>
        <source>empty: from the keyring, ~/.pgpass or the service file</source>
        <translation>留空：取自系统密钥环、~/.pgpass 或服务文件</translation>
    </message>
    <message>
        <source>Remember the password in the system keyring</source>
        <translation>在系统密钥环中记住密码</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Name a database (or a service that names one).</source>
        <translation>请填写数据库（或指定了数据库的服务）。</translation>
    </message>
    <message>
        <source>Connecting to {server}…</source>
        <translation>正在连接 {server}…</translation>
    </message>
    <message>
        <source>Could not connect: {error}</source>
        <translation>无法连接：{error}</translation>
    </message>
    <message>
        <source>Connected: PostgreSQL {server}, PostGIS {postgis}.</source>
        <translation>已连接：PostgreSQL {server}，PostGIS {postgis}。</translation>
    </message>
    <message>
        <source>Connected: PostgreSQL {server}, but PostGIS is not installed in this database.</source>
        <translation>已连接：PostgreSQL {server}，但此数据库未安装 PostGIS。</translation>
    </message>
    <message>
        <source>Give the connection a name.</source>
        <translation>请为连接命名。</translation>
    </message>
    <message>
        <source>A connection named {name} exists already.</source>
        <translation>已有名为 {name} 的连接。</translation>
    </message>
</context>
<context>
    <name>CoordinatesPanel</name>
    <message>
        <source>Added {crs}</source>
        <translation>已添加 {crs}</translation>
    </message>
    <message>
        <source>outside this CRS</source>
        <translation>超出该坐标系范围</translation>
    </message>
    <message>
        <source>CGCS2000 3-degree Gauss-Krüger zone {zone} (central meridian {cm}°E)</source>
        <translation>CGCS2000 3 度分带高斯-克吕格第 {zone} 带（中央经线 {cm}°E）</translation>
    </message>
    <message>
        <source>Choose Capture coordinates and click the map.</source>
        <translation>选择“拾取坐标”后在地图上单击。</translation>
    </message>
    <message>
        <source>Copied to the clipboard</source>
        <translation>已复制到剪贴板</translation>
    </message>
    <message>
        <source>lon, lat (e.g. 121.6, 38.9)</source>
        <translation>经度, 纬度（例如 121.6, 38.9）</translation>
    </message>
    <message>
        <source>x, y in metres</source>
        <translation>x, y（米）</translation>
    </message>
    <message>
        <source>CRS</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>x, y / lon, lat (DMS)</source>
        <translation>x, y / 经度, 纬度（度分秒）</translation>
    </message>
    <message>
        <source>EPSG code, e.g. 4549</source>
        <translation>EPSG 代码，例如 4549</translation>
    </message>
    <message>
        <source>Add CRS</source>
        <translation>添加坐标系</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the selected rows, or all (Ctrl+C)</source>
        <translation>复制选中的行，未选中则复制全部（Ctrl+C）</translation>
    </message>
    <message>
        <source>Go to coordinate</source>
        <translation>转到坐标</translation>
    </message>
    <message>
        <source>Go</source>
        <translation>转到</translation>
    </message>
</context>
<context>
    <name>CrashRecovery</name>
    <message>
        <source>Autosave failed: {error}</source>
        <translation>自动保存失败：{error}</translation>
    </message>
    <message>
        <source>Recover unsaved edits</source>
        <translation>恢复未保存的编辑</translation>
    </message>
    <message>
        <source>gisapp closed without saving edits to {project} (autosaved {time}): {layers}. Recover them?</source>
        <translation>gisapp 上次关闭时未保存对{project}的编辑（自动保存于 {time}）：{layers}。要恢复吗？</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard them</source>
        <translation>放弃这些编辑</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>The edits could not be recovered</source>
        <translation>无法恢复这些编辑</translation>
    </message>
    <message>
        <source>Recovered unsaved edits. Save them, or use Undo or Discard edits.</source>
        <translation>已恢复未保存的编辑。请保存，或使用撤销、放弃编辑。</translation>
    </message>
    <message>
        <source>Some edits could not be recovered</source>
        <translation>部分编辑无法恢复</translation>
    </message>
    <message>
        <source>These layers are no longer in the project: {layers}</source>
        <translation>以下图层已不在项目中：{layers}</translation>
    </message>
</context>
<context>
    <name>CrsDialog</name>
    <message>
        <source>Set layer CRS</source>
        <translation>设置图层坐标系</translation>
    </message>
    <message>
        <source>The coordinates of {layer} stay as they are; only the CRS they are read in changes.</source>
        <translation>{layer} 的坐标数值保持不变，只改变解读这些坐标所用的坐标系。</translation>
    </message>
    <message>
        <source>Common for Dalian…</source>
        <translation>大连常用坐标系…</translation>
    </message>
    <message>
        <source>EPSG code</source>
        <translation>EPSG 代码</translation>
    </message>
    <message>
        <source>CRS</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Unknown CRS code</source>
        <translation>未知的坐标系代码</translation>
    </message>
    <message>
        <source>Type an EPSG code such as 4529</source>
        <translation>请输入 EPSG 代码，例如 4529</translation>
    </message>
</context>
<context>
    <name>CrsSearch</name>
    <message>
        <source>Search by EPSG code or name, e.g. 4549 or CGCS2000 120E</source>
        <translation>按 EPSG 代码或名称搜索，如 4549 或 CGCS2000 120E</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Area of use</source>
        <translation>适用范围</translation>
    </message>
    <message>
        <source>{shown} of {total} coordinate reference systems</source>
        <translation>共 {total} 个坐标系，显示 {shown} 个</translation>
    </message>
</context>
<context>
    <name>EditTexts</name>
    <message>
        <source>Choose a layer in the layer tree and turn on editing first (Ctrl+E).</source>
        <translation>请先在图层树中选择图层并开启编辑（Ctrl+E）。</translation>
    </message>
    <message>
        <source>Too few vertices: this shape needs at least {minimum}.</source>
        <translation>节点太少：此形状至少需要 {minimum} 个节点。</translation>
    </message>
    <message>
        <source>Too few vertices: a ring keeps at least 3 and a line at least 2. Delete the feature instead.</source>
        <translation>节点太少：环至少保留 3 个节点，线至少 2 个。如需去掉，请删除整个要素。</translation>
    </message>
    <message>
        <source>Draw the ring inside a polygon of the layer.</source>
        <translation>请在该图层的某个面内绘制内环。</translation>
    </message>
    <message>
        <source>Select exactly one feature first.</source>
        <translation>请先只选择一个要素。</translation>
    </message>
    <message>
        <source>This layer holds {family}; use the matching tool.</source>
        <translation>此图层存放{family}，请使用对应的工具。</translation>
    </message>
    <message>
        <source>Rings can only be added to polygons.</source>
        <translation>只能给面添加内环。</translation>
    </message>
    <message>
        <source>The cut line must cross a feature from one side to the other.</source>
        <translation>分割线必须从一侧穿过要素到另一侧。</translation>
    </message>
    <message>
        <source>Only polygons and lines can be split.</source>
        <translation>只能分割面和线。</translation>
    </message>
    <message>
        <source>Select at least two features of the layer to merge.</source>
        <translation>请在该图层中至少选择两个要素再合并。</translation>
    </message>
    <message>
        <source>The feature whose attributes are kept must be selected.</source>
        <translation>保留属性的要素必须在选择集中。</translation>
    </message>
    <message>
        <source>Points cannot be merged.</source>
        <translation>点要素不能合并。</translation>
    </message>
    <message>
        <source>Select features first.</source>
        <translation>请先选择要素。</translation>
    </message>
    <message>
        <source>Click a vertex (shift-click for more) before deleting.</source>
        <translation>请先点击节点（按住 Shift 点击可多选），再删除。</translation>
    </message>
    <message>
        <source>Copy features first.</source>
        <translation>请先复制要素。</translation>
    </message>
    <message>
        <source>There is no segment here to insert a vertex into.</source>
        <translation>此处没有可插入节点的线段。</translation>
    </message>
    <message>
        <source>Name the figure the features were traced over.</source>
        <translation>请写明这些要素描绘时所依据的图。</translation>
    </message>
    <message>
        <source>{layer} has no geom_quality field to mark.</source>
        <translation>{layer} 没有可标记的 geom_quality 字段。</translation>
    </message>
    <message>
        <source>points</source>
        <translation>点</translation>
    </message>
    <message>
        <source>lines</source>
        <translation>线</translation>
    </message>
    <message>
        <source>polygons</source>
        <translation>面</translation>
    </message>
    <message>
        <source>Self-intersection: the boundary crosses itself</source>
        <translation>自相交：边界与自身交叉</translation>
    </message>
    <message>
        <source>Ring self-intersection: a ring touches itself</source>
        <translation>环自相交：环与自身接触</translation>
    </message>
    <message>
        <source>Too few points: a ring needs at least 3 distinct vertices</source>
        <translation>点数太少：环至少需要 3 个不同的节点</translation>
    </message>
    <message>
        <source>A hole lies outside its polygon</source>
        <translation>内环位于面之外</translation>
    </message>
    <message>
        <source>Holes are nested inside each other</source>
        <translation>内环相互嵌套</translation>
    </message>
    <message>
        <source>Holes cut the polygon in two</source>
        <translation>内环把面分成了两部分</translation>
    </message>
    <message>
        <source>Parts lie inside each other</source>
        <translation>部件相互嵌套</translation>
    </message>
    <message>
        <source>Duplicate rings</source>
        <translation>重复的环</translation>
    </message>
    <message>
        <source>Invalid coordinate</source>
        <translation>无效坐标</translation>
    </message>
    <message>
        <source>A ring is not closed</source>
        <translation>环未闭合</translation>
    </message>
    <message>
        <source>Ring orientation: the outer ring runs clockwise</source>
        <translation>环方向：外环为顺时针</translation>
    </message>
    <message>
        <source>Empty geometry</source>
        <translation>空几何</translation>
    </message>
    <message>
        <source>Invalid geometry: {reason}</source>
        <translation>几何无效：{reason}</translation>
    </message>
    <message>
        <source>“{field}” takes a whole number and cannot be empty.</source>
        <translation>“{field}”须为整数，不能为空。</translation>
    </message>
    <message>
        <source>“{field}” takes yes or no and cannot be empty.</source>
        <translation>“{field}”须为是或否，不能为空。</translation>
    </message>
    <message>
        <source>“{field}” takes a whole number; “{value}” is not one.</source>
        <translation>“{field}”须为整数；“{value}”不是整数。</translation>
    </message>
    <message>
        <source>“{field}” takes whole numbers from {minimum} to {maximum}.</source>
        <translation>“{field}”须为 {minimum} 到 {maximum} 之间的整数。</translation>
    </message>
    <message>
        <source>“{field}” takes a number; “{value}” is not one.</source>
        <translation>“{field}”须为数字；“{value}”不是数字。</translation>
    </message>
    <message>
        <source>“{field}” takes yes or no; “{value}” is neither.</source>
        <translation>“{field}”须为是或否；“{value}”两者都不是。</translation>
    </message>
    <message>
        <source>“{field}” takes a date such as 2025-12-31; “{value}” is not one.</source>
        <translation>“{field}”须为日期，例如 2025-12-31；“{value}”不是日期。</translation>
    </message>
    <message>
        <source>“{value}” does not fit “{field}”.</source>
        <translation>“{value}”不符合“{field}”的类型。</translation>
    </message>
</context>
<context>
    <name>EditingActions</name>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>Editing toolbar</source>
        <translation>编辑工具栏</translation>
    </message>
    <message>
        <source>Toggle editing</source>
        <translation>切换编辑状态</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Save edits</source>
        <translation>保存编辑</translation>
    </message>
    <message>
        <source>Discard edits…</source>
        <translation>放弃编辑…</translation>
    </message>
    <message>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>Delete selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Copy features</source>
        <translation>复制要素</translation>
    </message>
    <message>
        <source>Paste features</source>
        <translation>粘贴要素</translation>
    </message>
    <message>
        <source>Merge selected features…</source>
        <translation>合并所选要素…</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Mark as traced over a figure…</source>
        <translation>标记为据配准图描绘…</translation>
    </message>
    <message>
        <source>Snapping</source>
        <translation>捕捉</translation>
    </message>
    <message>
        <source>Snap</source>
        <translation>捕捉</translation>
    </message>
    <message>
        <source>Topological editing</source>
        <translation>拓扑编辑</translation>
    </message>
    <message>
        <source>Topology</source>
        <translation>拓扑</translation>
    </message>
    <message>
        <source>Check geometry and topology</source>
        <translation>检查几何与拓扑</translation>
    </message>
    <message>
        <source>Repair invalid geometry</source>
        <translation>修复无效几何</translation>
    </message>
    <message>
        <source>Export layer…</source>
        <translation>导出图层…</translation>
    </message>
    <message>
        <source>Pan and identify</source>
        <translation>平移与识别</translation>
    </message>
    <message>
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <source>Select features</source>
        <translation>选择要素</translation>
    </message>
    <message>
        <source>Select</source>
        <translation>选择</translation>
    </message>
    <message>
        <source>Add point</source>
        <translation>添加点</translation>
    </message>
    <message>
        <source>Point</source>
        <translation>点</translation>
    </message>
    <message>
        <source>Add line</source>
        <translation>添加线</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>线</translation>
    </message>
    <message>
        <source>Add polygon</source>
        <translation>添加面</translation>
    </message>
    <message>
        <source>Polygon</source>
        <translation>面</translation>
    </message>
    <message>
        <source>Add ring (hole)</source>
        <translation>添加内环（洞）</translation>
    </message>
    <message>
        <source>Add part</source>
        <translation>添加部件</translation>
    </message>
    <message>
        <source>Vertex tool</source>
        <translation>节点工具</translation>
    </message>
    <message>
        <source>Vertices</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Move features</source>
        <translation>移动要素</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>移动</translation>
    </message>
    <message>
        <source>Rotate features</source>
        <translation>旋转要素</translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation>旋转</translation>
    </message>
    <message>
        <source>Split features</source>
        <translation>分割要素</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>分割</translation>
    </message>
    <message>
        <source>Click vertices; Backspace removes the last one; double-click or Enter finishes; Esc cancels.</source>
        <translation>单击添加节点；Backspace 删除最后一个；双击或回车完成；Esc 取消。</translation>
    </message>
    <message>
        <source>Drag a vertex; double-click a segment to add one; click or drag a box to select vertices, then Delete.</source>
        <translation>拖动节点；双击线段插入节点；单击或框选节点后按 Delete 删除。</translation>
    </message>
    <message>
        <source>Draw a line across the features to cut; double-click or Enter cuts.</source>
        <translation>画一条穿过要素的线；双击或回车进行分割。</translation>
    </message>
    <message>
        <source>Drag to rotate the selected features; hold Shift for 15° steps.</source>
        <translation>拖动以旋转所选要素；按住 Shift 以 15° 为步长。</translation>
    </message>
    <message>
        <source>Undo history</source>
        <translation>撤销历史</translation>
    </message>
    <message>
        <source>&lt;no edits&gt;</source>
        <translation>&lt;无编辑&gt;</translation>
    </message>
    <message>
        <source>Geometry check</source>
        <translation>几何检查</translation>
    </message>
    <message>
        <source>Undo {edit}</source>
        <translation>撤销 {edit}</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo {edit}</source>
        <translation>重做 {edit}</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
</context>
<context>
    <name>EditingController</name>
    <message>
        <source>The edit could not be made: {error}</source>
        <translation>无法完成该编辑：{error}</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Something went wrong inside gisapp. The application is still running; if anything looks wrong, save your work under a new name.</source>
        <translation>gisapp 内部出错。程序仍在运行；如有异常，请将工作另存为新文件。</translation>
    </message>
    <message>
        <source>{count} different errors:</source>
        <translation>{count} 个不同的错误：</translation>
    </message>
    <message>
        <source>The details were written to {log}.</source>
        <translation>详细信息已写入 {log}。</translation>
    </message>
</context>
<context>
    <name>ExportWebMapDialog</name>
    <message>
        <source>Export web map</source>
        <translation>导出网页地图</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Automatic: a note when shapes are schematic</source>
        <translation>自动：图形为示意时附注说明</translation>
    </message>
    <message>
        <source>None: the bundled land and sea layers (works offline)</source>
        <translation>无：使用内置陆地与海域图层（可离线）</translation>
    </message>
    <message>
        <source>Tianditu (needs your key)</source>
        <translation>天地图（需要您的密钥）</translation>
    </message>
    <message>
        <source>From the map: {layer}</source>
        <translation>地图中的底图：{layer}</translation>
    </message>
    <message>
        <source>Tianditu key</source>
        <translation>天地图密钥</translation>
    </message>
    <message>
        <source>Gaode/AMap tiles are not offered: they are shifted (GCJ-02) and would misplace the WGS84 data.</source>
        <translation>不提供高德地图瓦片：其坐标经过偏移（GCJ-02），会使 WGS84 数据错位。</translation>
    </message>
    <message>
        <source>Self-contained: one file that opens offline</source>
        <translation>独立文件：单个文件，可离线打开</translation>
    </message>
    <message>
        <source>Linked: smaller, loads Leaflet from the internet</source>
        <translation>链接模式：文件更小，从互联网加载 Leaflet</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <source>Subtitle:</source>
        <translation>副标题：</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>Basemap:</source>
        <translation>底图：</translation>
    </message>
    <message>
        <source>Tianditu key:</source>
        <translation>天地图密钥：</translation>
    </message>
    <message>
        <source>Embed zoom levels:</source>
        <translation>嵌入的缩放级别：</translation>
    </message>
    <message>
        <source>Scripts:</source>
        <translation>脚本：</translation>
    </message>
    <message>
        <source>Douglas-Peucker tolerance for every layer; 0 keeps every vertex</source>
        <translation>所有图层的道格拉斯-普克简化容差；0 表示保留全部节点</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>要素数</translation>
    </message>
    <message>
        <source>Simplify</source>
        <translation>简化</translation>
    </message>
    <message>
        <source>Simplify all layers to:</source>
        <translation>全部图层简化到：</translation>
    </message>
    <message>
        <source>Layers (canvas order)</source>
        <translation>图层（按画布顺序）</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Preview in browser</source>
        <translation>在浏览器中预览</translation>
    </message>
    <message>
        <source>Simplification tolerance for this layer</source>
        <translation>本图层的简化容差</translation>
    </message>
    <message>
        <source>Choose at least one layer.</source>
        <translation>请至少选择一个图层。</translation>
    </message>
    <message>
        <source>Estimated file size: {size}</source>
        <translation>预计文件大小：{size}</translation>
    </message>
    <message>
        <source>({tiles} basemap tiles embedded)</source>
        <translation>（嵌入 {tiles} 个底图瓦片）</translation>
    </message>
    <message>
        <source>Web page (*.html)</source>
        <translation>网页 (*.html)</translation>
    </message>
    <message>
        <source>The web map could not be written:
{error}</source>
        <translation>无法写入网页地图：
{error}</translation>
    </message>
    <message>
        <source>{layer}: {count} features (number {numbers})</source>
        <translation>{layer}：{count} 个要素（第 {numbers} 个）</translation>
    </message>
    <message>
        <source>The web map was written without these features: their coordinates are not finite longitudes and latitudes.</source>
        <translation>网页地图已导出，但未包含以下要素：其坐标不是有效的经纬度。</translation>
    </message>
    <message>
        <source>The web map was written to
{path}
({size})</source>
        <translation>网页地图已导出到
{path}
（{size}）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
</context>
<context>
    <name>ExpressionBuilder</name>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Functions</source>
        <translation>函数</translation>
    </message>
    <message>
        <source>Values of the field</source>
        <translation>字段的值</translation>
    </message>
    <message>
        <source>Show values</source>
        <translation>显示取值</translation>
    </message>
    <message>
        <source>e.g. &quot;status&quot; = &apos;planned&apos; AND $area &gt; 1000000</source>
        <translation>例如 &quot;status&quot; = &apos;planned&apos; AND $area &gt; 1000000</translation>
    </message>
    <message>
        <source>Geometry and feature</source>
        <translation>几何与要素</translation>
    </message>
    <message>
        <source>Field {name} ({dtype}): double-click to insert it.</source>
        <translation>字段 {name}（{dtype}）：双击插入。</translation>
    </message>
    <message>
        <source>Choose a field first.</source>
        <translation>请先选择一个字段。</translation>
    </message>
    <message>
        <source>Evaluating…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Type an expression, or double-click a field or function.</source>
        <translation>输入表达式，或双击字段、函数。</translation>
    </message>
    <message>
        <source>The expression could not be evaluated: {error}</source>
        <translation>无法计算表达式：{error}</translation>
    </message>
    <message>
        <source>{count} of {total} features match</source>
        <translation>{total} 个要素中有 {count} 个符合</translation>
    </message>
    <message>
        <source>First feature: {value}</source>
        <translation>第一个要素：{value}</translation>
    </message>
</context>
<context>
    <name>FeaturePanel</name>
    <message>
        <source>Click a zone on the map to see its attributes and plan indicators.</source>
        <translation>在地图上点击一个区域，查看其属性和规划指标。</translation>
    </message>
    <message>
        <source>Edit attributes (double-click a value)</source>
        <translation>编辑属性（双击值进行修改）</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Raster: pixel values at the click</source>
        <translation>栅格：点击处的像元值</translation>
    </message>
    <message>
        <source>The click is outside the raster.</source>
        <translation>点击位置在栅格范围之外。</translation>
    </message>
    <message>
        <source>Band</source>
        <translation>波段</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>Schematic shape: placed from the plan text, not surveyed</source>
        <translation>示意图形：依据规划文本布设，非测绘成果</translation>
    </message>
    <message>
        <source>Approximate shape</source>
        <translation>近似图形</translation>
    </message>
    <message>
        <source>Surveyed shape</source>
        <translation>测绘图形</translation>
    </message>
    <message>
        <source>Traced shape: drawn over a georeferenced figure</source>
        <translation>描绘图形：据已配准的图描绘</translation>
    </message>
    <message>
        <source>Priority industries</source>
        <translation>重点产业</translation>
    </message>
    <message>
        <source>Geodesic area</source>
        <translation>椭球面积</translation>
    </message>
    <message>
        <source>Perimeter</source>
        <translation>周长</translation>
    </message>
    <message>
        <source>Share of {parent}</source>
        <translation>占{parent}比例</translation>
    </message>
    <message>
        <source>Geodesic length</source>
        <translation>椭球长度</translation>
    </message>
    <message>
        <source>Named projects and platforms inside</source>
        <translation>区内具名项目与平台</translation>
    </message>
    <message>
        <source>Land-use mix</source>
        <translation>用地构成</translation>
    </message>
    <message>
        <source>Measures</source>
        <translation>量测</translation>
    </message>
    <message>
        <source>Measures (live, not yet applied)</source>
        <translation>量算（实时，尚未应用）</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Plan indicators</source>
        <translation>规划指标</translation>
    </message>
    <message>
        <source>No plan indicator is linked to this feature.</source>
        <translation>该要素未关联规划指标。</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基期</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Actual</source>
        <translation>实际</translation>
    </message>
    <message>
        <source>not given in the plan</source>
        <translation>规划未给出基期值</translation>
    </message>
</context>
<context>
    <name>FieldCalculatorDialog</name>
    <message>
        <source>Field calculator — {layer}</source>
        <translation>字段计算器 — {layer}</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Create a new field</source>
        <translation>新建字段</translation>
    </message>
    <message>
        <source>Update an existing field</source>
        <translation>更新现有字段</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Whole number (integer)</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>Decimal number (real)</source>
        <translation>小数（实数）</translation>
    </message>
    <message>
        <source>Text (string)</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Only the {count} selected features</source>
        <translation>仅所选的 {count} 个要素</translation>
    </message>
    <message>
        <source>{layer} is still being read: calculate when it is open.</source>
        <translation>{layer}仍在读取中：打开完成后再计算。</translation>
    </message>
    <message>
        <source>Give the new field a name.</source>
        <translation>请为新字段命名。</translation>
    </message>
    <message>
        <source>The layer already has a field named {name}.</source>
        <translation>该图层已有名为 {name} 的字段。</translation>
    </message>
    <message>
        <source>The layer has no field to update.</source>
        <translation>该图层没有可更新的字段。</translation>
    </message>
    <message>
        <source>The values do not fit the field: {problem}</source>
        <translation>计算结果不符合字段类型：{problem}</translation>
    </message>
    <message>
        <source>The field was not calculated.</source>
        <translation>未计算该字段。</translation>
    </message>
</context>
<context>
    <name>FileOpener</name>
    <message>
        <source>Opening {name} was cancelled; nothing of it was kept.</source>
        <translation>已取消打开 {name}；其内容均未保留。</translation>
    </message>
</context>
<context>
    <name>GeorefController</name>
    <message>
        <source>&amp;Georeference image…</source>
        <translation>地理配准图像(&amp;G)…</translation>
    </message>
</context>
<context>
    <name>GeorefDialog</name>
    <message>
        <source>Affine (keeps the pixels)</source>
        <translation>仿射变换（保留原像素）</translation>
    </message>
    <message>
        <source>Polynomial, order 1</source>
        <translation>一次多项式</translation>
    </message>
    <message>
        <source>Polynomial, order 2</source>
        <translation>二次多项式</translation>
    </message>
    <message>
        <source>Thin-plate spline</source>
        <translation>薄板样条</translation>
    </message>
    <message>
        <source>Georeference image</source>
        <translation>地理配准图像</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>打开图像…</translation>
    </message>
    <message>
        <source>Load points…</source>
        <translation>载入控制点…</translation>
    </message>
    <message>
        <source>Save points</source>
        <translation>保存控制点</translation>
    </message>
    <message>
        <source>Transform</source>
        <translation>变换方法</translation>
    </message>
    <message>
        <source>Output CRS</source>
        <translation>输出坐标系</translation>
    </message>
    <message>
        <source>Also a world file beside the image</source>
        <translation>同时在图像旁写出世界文件</translation>
    </message>
    <message>
        <source>Output…</source>
        <translation>输出文件…</translation>
    </message>
    <message>
        <source>Delete point</source>
        <translation>删除控制点</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>经度</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>纬度</translation>
    </message>
    <message>
        <source>Add with these coordinates</source>
        <translation>按此坐标添加</translation>
    </message>
    <message>
        <source>Snap to map vertices</source>
        <translation>捕捉地图节点</translation>
    </message>
    <message>
        <source>Georeference and add layer</source>
        <translation>配准并添加图层</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Image X</source>
        <translation>图像 X</translation>
    </message>
    <message>
        <source>Image Y</source>
        <translation>图像 Y</translation>
    </message>
    <message>
        <source>dX (px)</source>
        <translation>dX (像素)</translation>
    </message>
    <message>
        <source>dY (px)</source>
        <translation>dY (像素)</translation>
    </message>
    <message>
        <source>Residual (m)</source>
        <translation>残差 (米)</translation>
    </message>
    <message>
        <source>Open image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Images ({patterns})</source>
        <translation>图像 ({patterns})</translation>
    </message>
    <message>
        <source>Reading {file}…</source>
        <translation>正在读取 {file}…</translation>
    </message>
    <message>
        <source>The image was not opened</source>
        <translation>未能打开图像</translation>
    </message>
    <message>
        <source>{file}: {width} × {height} pixels</source>
        <translation>{file}：{width} × {height} 像素</translation>
    </message>
    <message>
        <source>Load points</source>
        <translation>载入控制点</translation>
    </message>
    <message>
        <source>QGIS points (*.points)</source>
        <translation>QGIS 控制点文件 (*.points)</translation>
    </message>
    <message>
        <source>The points were not loaded</source>
        <translation>未能载入控制点</translation>
    </message>
    <message>
        <source>{n} points loaded from {file}</source>
        <translation>已从 {file} 载入 {n} 个控制点</translation>
    </message>
    <message>
        <source>The points were not saved</source>
        <translation>未能保存控制点</translation>
    </message>
    <message>
        <source>Points saved to {file}</source>
        <translation>控制点已保存到 {file}</translation>
    </message>
    <message>
        <source>GeoTIFF to write</source>
        <translation>要写出的 GeoTIFF</translation>
    </message>
    <message>
        <source>Point {n} snapped to a map vertex</source>
        <translation>控制点 {n} 已捕捉到地图节点</translation>
    </message>
    <message>
        <source>Click the place on the image first.</source>
        <translation>请先在图像上点击该位置。</translation>
    </message>
    <message>
        <source>RMS {metres} m ({pixels} px) on {n} points</source>
        <translation>均方根误差 {metres} 米（{pixels} 像素），共 {n} 个控制点</translation>
    </message>
    <message>
        <source>{kind} needs at least {need} points ({n} so far)</source>
        <translation>{kind}至少需要 {need} 个控制点（目前 {n} 个）</translation>
    </message>
    <message>
        <source>Open the image to place: a scanned plan, or the plan&apos;s layout figure.</source>
        <translation>打开要配准的图像：扫描的规划图，或规划的布局图。</translation>
    </message>
    <message>
        <source>Point {n} is marked on the image. Now click the same place on the map (it snaps to vertices), or type its longitude and latitude and press Add.</source>
        <translation>已在图像上标出控制点 {n}。请在地图上点击同一位置（会捕捉节点），或输入其经纬度后点击添加。</translation>
    </message>
    <message>
        <source>Click a place you can find on the map, on the image (wheel: zoom, right or middle button: pan).</source>
        <translation>在图像上点击一个在地图上也能找到的位置（滚轮缩放，右键或中键平移）。</translation>
    </message>
    <message>
        <source>Writing {file}…</source>
        <translation>正在写出 {file}…</translation>
    </message>
    <message>
        <source>The GeoTIFF was not written</source>
        <translation>未能写出 GeoTIFF</translation>
    </message>
    <message>
        <source>The world file was not written</source>
        <translation>未能写出世界文件</translation>
    </message>
    <message>
        <source>Wrote {file} ({width} × {height}), RMS {metres} m</source>
        <translation>已写出 {file}（{width} × {height}），均方根误差 {metres} 米</translation>
    </message>
</context>
<context>
    <name>GreenStandardDialog</name>
    <message>
        <source>Green standard</source>
        <translation>绿化标准</translation>
    </message>
    <message>
        <source>The plan builds a green grid to the standard “50 m to green, 500 m to a park” (50米见绿、500米见园). Choose the built-up or residential layer and the park or green layer, bundled or your own. Distances are measured in metres in a local projection; areas are geodesic.</source>
        <translation>规划按照“50米见绿、500米见园”的标准构建绿色生态景观网格。请选择建成区或居住用地图层，以及公园或绿地图层（内置图层或自行打开的图层均可）。距离在局部投影中以米计算，面积按椭球面计算。</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>Built-up or residential layer</source>
        <translation>建成区或居住用地图层</translation>
    </message>
    <message>
        <source>Park or green layer</source>
        <translation>公园或绿地图层</translation>
    </message>
    <message>
        <source>Recompute when these layers change</source>
        <translation>图层变化时自动重新计算</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Another distance</source>
        <translation>其他距离</translation>
    </message>
    <message>
        <source>Open a built-up or residential layer and a park layer first.</source>
        <translation>请先打开建成区或居住用地图层以及公园图层。</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Feature</source>
        <translation>要素</translation>
    </message>
    <message>
        <source>Within the distance</source>
        <translation>在距离范围内</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Area (km²)</source>
        <translation>面积（平方公里）</translation>
    </message>
    <message>
        <source>Beyond (km²)</source>
        <translation>范围外（平方公里）</translation>
    </message>
    <message>
        <source>Covered</source>
        <translation>覆盖比例</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>修改人</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Citation</source>
        <translation>规划依据</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>This version</source>
        <translation>此版本</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>Restore this version</source>
        <translation>恢复此版本</translation>
    </message>
    <message>
        <source>The chosen version is drawn dashed on the map. Restoring it is a new edit: undo takes it back, and a save writes it as a new version.</source>
        <translation>所选版本以虚线绘制在地图上。恢复是一次新的编辑：可撤销，保存后写为新版本。</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>History of {feature}</source>
        <translation>{feature} 的历史</translation>
    </message>
    <message>
        <source>Feature history</source>
        <translation>要素历史</translation>
    </message>
    <message>
        <source>Select a feature of a layer from PostGIS to see its versions.</source>
        <translation>选择来自 PostGIS 的图层中的要素以查看其版本。</translation>
    </message>
    <message>
        <source>Reading the history from the server…</source>
        <translation>正在从服务器读取历史…</translation>
    </message>
    <message>
        <source>No saved versions: the table keeps history only for changes saved after it was prepared for team editing.</source>
        <translation>没有已保存的版本：表只记录准备团队编辑之后保存的修改。</translation>
    </message>
    <message>
        <source>{n} version(s), newest first.</source>
        <translation>{n} 个版本，最新的在前。</translation>
    </message>
    <message>
        <source>Citation: {citation}</source>
        <translation>规划依据：{citation}</translation>
    </message>
    <message>
        <source>Comment: {comment}</source>
        <translation>说明：{comment}</translation>
    </message>
</context>
<context>
    <name>IndicatorDashboard</name>
    <message>
        <source>All indicators</source>
        <translation>全部指标</translation>
    </message>
    <message>
        <source>Linked to the selected zone</source>
        <translation>与所选片区关联的指标</translation>
    </message>
    <message>
        <source>Chart: the chosen indicator</source>
        <translation>图表：所选指标</translation>
    </message>
    <message>
        <source>Chart: its whole category</source>
        <translation>图表：该指标所在类别</translation>
    </message>
    <message>
        <source>Enter actuals…</source>
        <translation>录入实际值…</translation>
    </message>
    <message>
        <source>Import CSV…</source>
        <translation>导入 CSV…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Report…</source>
        <translation>报告…</translation>
    </message>
    <message>
        <source>Green standard…</source>
        <translation>绿化标准…</translation>
    </message>
    <message>
        <source>Plan indicators</source>
        <translation>规划指标</translation>
    </message>
    <message>
        <source>Spatial indicators</source>
        <translation>空间指标</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基期值</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标值</translation>
    </message>
    <message>
        <source>Latest actual</source>
        <translation>最新实际值</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Nature</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Zone: {names}</source>
        <translation>片区：{names}</translation>
    </message>
    <message>
        <source>Click a zone on the map</source>
        <translation>请在地图上点选片区</translation>
    </message>
    <message>
        <source>Choose an indicator to see its chart; its zones are selected on the map.</source>
        <translation>选择一个指标查看图表，其关联片区将在地图上选中。</translation>
    </message>
    <message>
        <source>No indicator of this category has a numeric target.</source>
        <translation>该类别没有带数值目标的指标。</translation>
    </message>
    <message>
        <source>Computing spatial indicators…</source>
        <translation>正在计算空间指标…</translation>
    </message>
    <message>
        <source>Spatial indicators are computed from the map in the background.</source>
        <translation>空间指标在后台依据地图计算。</translation>
    </message>
    <message>
        <source>Land-use layer: {layer}</source>
        <translation>用地图层：{layer}</translation>
    </message>
    <message>
        <source>No land-use layer: open one with a land-use field (e.g. landuse, 用地性质) to see the land-use mix.</source>
        <translation>没有用地图层：打开含用地字段（如 landuse、用地性质）的图层即可查看用地构成。</translation>
    </message>
    <message>
        <source>Areas are geodesic. Shares are of the parent zone. {landuse}</source>
        <translation>面积按椭球面计算，比例为占上级片区的比例。{landuse}</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Zones</source>
        <translation>片区数</translation>
    </message>
    <message>
        <source>Area (km², union)</source>
        <translation>面积（平方公里，合并计）</translation>
    </message>
    <message>
        <source>Named projects and platforms</source>
        <translation>具名项目与平台</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>片区</translation>
    </message>
    <message>
        <source>Area (km²)</source>
        <translation>面积（平方公里）</translation>
    </message>
    <message>
        <source>Share of parent zone</source>
        <translation>占上级片区比例</translation>
    </message>
    <message>
        <source>Projects and platforms inside</source>
        <translation>区内项目与平台</translation>
    </message>
    <message>
        <source>Land-use mix</source>
        <translation>用地构成</translation>
    </message>
    <message>
        <source>&lt;b&gt;{share}&lt;/b&gt; of the {total:.0f} points of {target} lie within {distance:g} m of {source}; {uncovered:.0f} lie beyond (drawn in red on the map).</source>
        <translation>{target}的 {total:.0f} 个点中有 &lt;b&gt;{share}&lt;/b&gt; 位于{source} {distance:g} 米范围内；{uncovered:.0f} 个在范围外（地图上以红色标出）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{share}&lt;/b&gt; of {target} ({total:,.2f} km²) lies within {distance:g} m of {source}; {uncovered:,.2f} km² lies beyond (drawn in red on the map).</source>
        <translation>{target}（{total:,.2f} 平方公里）中有 &lt;b&gt;{share}&lt;/b&gt; 位于{source} {distance:g} 米范围内；{uncovered:,.2f} 平方公里在范围外（地图上以红色标出）。</translation>
    </message>
</context>
<context>
    <name>IndicatorsController</name>
    <message>
        <source>&amp;Indicators</source>
        <translation>指标(&amp;I)</translation>
    </message>
    <message>
        <source>Indicator dashboard</source>
        <translation>指标看板</translation>
    </message>
    <message>
        <source>Enter actual values…</source>
        <translation>录入实际值…</translation>
    </message>
    <message>
        <source>Import actuals from CSV…</source>
        <translation>从 CSV 导入实际值…</translation>
    </message>
    <message>
        <source>Export actuals to CSV…</source>
        <translation>导出实际值为 CSV…</translation>
    </message>
    <message>
        <source>Export a form by year (CSV)…</source>
        <translation>导出分年度填报表（CSV）…</translation>
    </message>
    <message>
        <source>Green standard (50 m to green, 500 m to a park)…</source>
        <translation>绿化标准（50米见绿、500米见园）…</translation>
    </message>
    <message>
        <source>Style layer by field or indicator…</source>
        <translation>按字段或指标设置图层样式…</translation>
    </message>
    <message>
        <source>Colour plan zones by progress</source>
        <translation>按进度为规划片区着色</translation>
    </message>
    <message>
        <source>Export indicator report…</source>
        <translation>导出指标报告…</translation>
    </message>
    <message>
        <source>{name}: {count} linked zone(s) selected on the map</source>
        <translation>{name}：已在地图上选中 {count} 个关联片区</translation>
    </message>
    <message>
        <source>{name}: no zone on the map carries this indicator (zone-wide)</source>
        <translation>{name}：地图上没有片区承载该指标（全区指标）</translation>
    </message>
    <message>
        <source>Import actuals</source>
        <translation>导入实际值</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The actuals were not imported</source>
        <translation>实际值未导入</translation>
    </message>
    <message>
        <source>Read {rows} rows from {file}: imported {count} values.</source>
        <translation>从 {file} 读取 {rows} 行，导入 {count} 个数值。</translation>
    </message>
    <message>
        <source>Line {line}: {message}</source>
        <translation>第 {line} 行：{message}</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>… 另有 {count} 行</translation>
    </message>
    <message>
        <source>Some rows were not imported</source>
        <translation>部分行未导入</translation>
    </message>
    <message>
        <source>These rows were not imported (no matching indicator, no usable value, or a repeat of an earlier row):</source>
        <translation>以下各行未导入（没有匹配的指标、没有可用数值，或与前面的行重复）：</translation>
    </message>
    <message>
        <source>Export actuals</source>
        <translation>导出实际值</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>The actuals were not exported</source>
        <translation>实际值未导出</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Export indicator report</source>
        <translation>导出指标报告</translation>
    </message>
    <message>
        <source>PDF (*.pdf);;HTML (*.html);;CSV (*.csv)</source>
        <translation>PDF (*.pdf);;HTML (*.html);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <source>The report was not written</source>
        <translation>报告未生成</translation>
    </message>
    <message>
        <source>{count} layers coloured by the progress of their indicators</source>
        <translation>已按指标进度为 {count} 个图层着色</translation>
    </message>
</context>
<context>
    <name>LabelsTab</name>
    <message>
        <source>Labels show</source>
        <translation>标注显示</translation>
    </message>
    <message>
        <source>Or a template</source>
        <translation>或用模板</translation>
    </message>
    <message>
        <source>Font size (pt)</source>
        <translation>字号（磅）</translation>
    </message>
    <message>
        <source>Text colour</source>
        <translation>文字颜色</translation>
    </message>
    <message>
        <source>Halo colour</source>
        <translation>光晕颜色</translation>
    </message>
    <message>
        <source>Halo width (px)</source>
        <translation>光晕宽度（像素）</translation>
    </message>
    <message>
        <source>Placement</source>
        <translation>放置方式</translation>
    </message>
    <message>
        <source>Side of the point</source>
        <translation>在点的哪一侧</translation>
    </message>
    <message>
        <source>Distance from the point (px)</source>
        <translation>距点的距离（像素）</translation>
    </message>
    <message>
        <source>Priority (0–10)</source>
        <translation>优先级（0–10）</translation>
    </message>
    <message>
        <source>Hide when zoomed out beyond</source>
        <translation>缩小超过此比例时隐藏</translation>
    </message>
    <message>
        <source>Hide when zoomed in beyond</source>
        <translation>放大超过此比例时隐藏</translation>
    </message>
    <message>
        <source>e.g. {name_zh} {area:.1f}</source>
        <translation>例如 {name_zh} {area:.1f}</translation>
    </message>
    <message>
        <source>Field names in braces, optionally with a number format such as {area:.1f}; it replaces the field above when set.</source>
        <translation>花括号中写字段名，可带数字格式，如 {area:.1f}；填写后取代上面的字段。</translation>
    </message>
    <message>
        <source>Chinese and English names follow the interface language</source>
        <translation>中英文名称随界面语言切换</translation>
    </message>
    <message>
        <source>Halo around the text</source>
        <translation>文字加光晕</translation>
    </message>
    <message>
        <source>Always show (even where labels overlap)</source>
        <translation>始终显示（即使与其他标注重叠）</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>above</source>
        <translation>上方</translation>
    </message>
    <message>
        <source>upper right</source>
        <translation>右上</translation>
    </message>
    <message>
        <source>right</source>
        <translation>右侧</translation>
    </message>
    <message>
        <source>lower right</source>
        <translation>右下</translation>
    </message>
    <message>
        <source>below</source>
        <translation>下方</translation>
    </message>
    <message>
        <source>lower left</source>
        <translation>左下</translation>
    </message>
    <message>
        <source>left</source>
        <translation>左侧</translation>
    </message>
    <message>
        <source>upper left</source>
        <translation>左上</translation>
    </message>
    <message>
        <source>around the point on surface</source>
        <translation>面内点周围（水平）</translation>
    </message>
    <message>
        <source>around the point (any of 8 sides)</source>
        <translation>点周围（8 个方位择优）</translation>
    </message>
    <message>
        <source>inside the polygon only</source>
        <translation>仅在面内</translation>
    </message>
    <message>
        <source>horizontal, at the middle of the line</source>
        <translation>水平，位于线的中部</translation>
    </message>
    <message>
        <source>along the line</source>
        <translation>沿线</translation>
    </message>
    <message>
        <source>on the chosen side only</source>
        <translation>仅在所选一侧</translation>
    </message>
    <message>
        <source>The template is not used: the layer has no field {field}.</source>
        <translation>模板未采用：图层没有字段 {field}。</translation>
    </message>
    <message>
        <source>The template is not used: write numbers with a format such as {{area:.1f}}.</source>
        <translation>模板未采用：数字格式请写成 {{area:.1f}} 这样的形式。</translation>
    </message>
</context>
<context>
    <name>LayerActions</name>
    <message>
        <source>Layer properties…</source>
        <translation>图层属性…</translation>
    </message>
    <message>
        <source>Style…</source>
        <translation>样式…</translation>
    </message>
    <message>
        <source>Labels…</source>
        <translation>标注…</translation>
    </message>
    <message>
        <source>Export layer…</source>
        <translation>导出图层…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制图层</translation>
    </message>
    <message>
        <source>Select by expression…</source>
        <translation>按表达式选择…</translation>
    </message>
    <message>
        <source>Field calculator…</source>
        <translation>字段计算器…</translation>
    </message>
    <message>
        <source>Other CRS…</source>
        <translation>其他坐标系…</translation>
    </message>
    <message>
        <source>Choose a layer in the layer tree first.</source>
        <translation>请先在图层树中选择一个图层。</translation>
    </message>
    <message>
        <source>A layer needs a name.</source>
        <translation>图层需要一个名称。</translation>
    </message>
    <message>
        <source>{layer} is still being read.</source>
        <translation>{layer}仍在读取中。</translation>
    </message>
    <message>
        <source>{layer} added</source>
        <translation>已添加{layer}</translation>
    </message>
</context>
<context>
    <name>LayerCheck</name>
    <message>
        <source>Invalid: {feature} — {problem}</source>
        <translation>无效：{feature} — {problem}</translation>
    </message>
    <message>
        <source>Overlap: {a} and {b} — {area}</source>
        <translation>重叠：{a} 与 {b} — {area}</translation>
    </message>
    <message>
        <source>Gap — {area}</source>
        <translation>缝隙 — {area}</translation>
    </message>
    <message>
        <source>{layer}: {invalid} invalid, {overlaps} overlaps, {gaps} gaps. Click a line to show it on the map.</source>
        <translation>{layer}：{invalid} 处无效，{overlaps} 处重叠，{gaps} 处缝隙。单击某一行可在地图上显示。</translation>
    </message>
</context>
<context>
    <name>LayerExport</name>
    <message>
        <source>Choose a layer in the layer tree first.</source>
        <translation>请先在图层树中选择一个图层。</translation>
    </message>
    <message>
        <source>Export layer</source>
        <translation>导出图层</translation>
    </message>
    <message>
        <source>GeoJSON (*.geojson);;Shapefile, UTF-8 (*.shp)</source>
        <translation>GeoJSON (*.geojson);;Shapefile，UTF-8 编码 (*.shp)</translation>
    </message>
    <message>
        <source>The layer was not exported</source>
        <translation>图层未导出</translation>
    </message>
    <message>
        <source>Export the layer under another name?</source>
        <translation>用其他文件名导出该图层？</translation>
    </message>
    <message>
        <source>Export as…</source>
        <translation>另存导出…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Exported {layer} to {path}</source>
        <translation>已将{layer}导出到 {path}</translation>
    </message>
    <message>
        <source>Exported with changes</source>
        <translation>导出时有改动</translation>
    </message>
</context>
<context>
    <name>LayerPropertiesDialog</name>
    <message>
        <source>Layer properties — {layer}</source>
        <translation>图层属性 — {layer}</translation>
    </message>
    <message>
        <source>Information</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>CRS</source>
        <translation>坐标系</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>样式</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标注</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Source file</source>
        <translation>来源文件</translation>
    </message>
    <message>
        <source>Layer in the file</source>
        <translation>文件中的图层</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Geometry type</source>
        <translation>几何类型</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>要素数</translation>
    </message>
    <message>
        <source>Extent (layer CRS)</source>
        <translation>范围（图层坐标系）</translation>
    </message>
    <message>
        <source>Extent (longitude, latitude)</source>
        <translation>范围（经度、纬度）</translation>
    </message>
    <message>
        <source>Choosing a CRS here says which CRS the coordinates are in; they are not transformed. Use it when a file had no CRS or a wrong one.</source>
        <translation>在此选择坐标系只是说明坐标所用的坐标系，坐标本身不做转换。适用于文件没有坐标系或坐标系有误的情况。</translation>
    </message>
    <message>
        <source>Use this CRS for the layer</source>
        <translation>将此坐标系用于该图层</translation>
    </message>
    <message>
        <source>Aliases are what the panel, the table, the report and the web map show for a field. Leave both empty for the built-in alias or, if there is none, the field name.</source>
        <translation>别名是面板、属性表、报告和网页地图中显示的字段名称。两栏都留空则使用内置别名；没有内置别名时使用字段名。</translation>
    </message>
    <message>
        <source>Apply aliases</source>
        <translation>应用别名</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Alias (Chinese)</source>
        <translation>别名（中文）</translation>
    </message>
    <message>
        <source>Alias (English)</source>
        <translation>别名（英文）</translation>
    </message>
    <message>
        <source>Edit the style…</source>
        <translation>编辑样式…</translation>
    </message>
    <message>
        <source>Label settings…</source>
        <translation>标注设置…</translation>
    </message>
    <message>
        <source>not from a file</source>
        <translation>不是来自文件</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>点</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>线</translation>
    </message>
    <message>
        <source>Polygons</source>
        <translation>面</translation>
    </message>
    <message>
        <source>Current CRS: {crs}</source>
        <translation>当前坐标系：{crs}</translation>
    </message>
    <message>
        <source>Single symbol</source>
        <translation>单一符号</translation>
    </message>
    <message>
        <source>Categorized</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Graduated</source>
        <translation>分级</translation>
    </message>
    <message>
        <source>{kind} style{field}, {count} legend entries.</source>
        <translation>{kind}样式{field}，图例 {count} 项。</translation>
    </message>
    <message>
        <source>Labels from: {field}</source>
        <translation>标注字段：{field}</translation>
    </message>
    <message>
        <source>Labels: the feature names in the window&apos;s language.</source>
        <translation>标注：按界面语言显示要素名称。</translation>
    </message>
    <message>
        <source>Choose a CRS in the list first.</source>
        <translation>请先在列表中选择一个坐标系。</translation>
    </message>
    <message>
        <source>{layer} is now read in {crs}</source>
        <translation>{layer}现按 {crs} 读取</translation>
    </message>
    <message>
        <source>Aliases of {count} fields changed.</source>
        <translation>已更改 {count} 个字段的别名。</translation>
    </message>
</context>
<context>
    <name>LayerTreeModel</name>
    <message>
        <source>Editing — unsaved edits</source>
        <translation>编辑中 — 有未保存的编辑</translation>
    </message>
    <message>
        <source>Editing</source>
        <translation>编辑中</translation>
    </message>
    <message>
        <source>{width} x {height} pixels, {bands} band(s), {crs}</source>
        <translation>{width} × {height} 像素，{bands} 个波段，{crs}</translation>
    </message>
</context>
<context>
    <name>LayoutEditor</name>
    <message>
        <source>Print layouts</source>
        <translation>打印布局</translation>
    </message>
    <message>
        <source>Layouts in this project</source>
        <translation>本项目的布局</translation>
    </message>
    <message>
        <source>New A3 plan map</source>
        <translation>新建 A3 规划图</translation>
    </message>
    <message>
        <source>New A4 zone sheets (atlas)</source>
        <translation>新建 A4 分区图册（图集）</translation>
    </message>
    <message>
        <source>Delete layout</source>
        <translation>删除布局</translation>
    </message>
    <message>
        <source>Page</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Landscape</source>
        <translation>横向</translation>
    </message>
    <message>
        <source>Atlas layer</source>
        <translation>图集图层</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>元素</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>X (mm)</source>
        <translation>X（毫米）</translation>
    </message>
    <message>
        <source>Y (mm)</source>
        <translation>Y（毫米）</translation>
    </message>
    <message>
        <source>Width (mm)</source>
        <translation>宽度（毫米）</translation>
    </message>
    <message>
        <source>Height (mm)</source>
        <translation>高度（毫米）</translation>
    </message>
    <message>
        <source>Text (Chinese)</source>
        <translation>文字（中文）</translation>
    </message>
    <message>
        <source>Text (English)</source>
        <translation>文字（英文）</translation>
    </message>
    <message>
        <source>Font size (pt)</source>
        <translation>字号（磅）</translation>
    </message>
    <message>
        <source>Map scale 1:</source>
        <translation>地图比例尺 1:</translation>
    </message>
    <message>
        <source>Border</source>
        <translation>边框</translation>
    </message>
    <message>
        <source>Add item</source>
        <translation>添加图元</translation>
    </message>
    <message>
        <source>Remove item</source>
        <translation>删除图元</translation>
    </message>
    <message>
        <source>Remove the chosen item (Delete)</source>
        <translation>删除所选图元（Delete 键）</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Previous feature</source>
        <translation>上一个要素</translation>
    </message>
    <message>
        <source>Next feature</source>
        <translation>下一个要素</translation>
    </message>
    <message>
        <source>Bold</source>
        <translation>粗体</translation>
    </message>
    <message>
        <source>Alignment</source>
        <translation>对齐</translation>
    </message>
    <message>
        <source>Follows the map</source>
        <translation>跟随的地图</translation>
    </message>
    <message>
        <source>Legend columns</source>
        <translation>图例列数</translation>
    </message>
    <message>
        <source>Scale bar units</source>
        <translation>比例尺单位</translation>
    </message>
    <message>
        <source>Scale bar segments</source>
        <translation>比例尺分段数</translation>
    </message>
    <message>
        <source>Extent (lon, lat)</source>
        <translation>范围（经纬度）</translation>
    </message>
    <message>
        <source>Map CRS</source>
        <translation>地图坐标系</translation>
    </message>
    <message>
        <source>Lock layers</source>
        <translation>锁定图层</translation>
    </message>
    <message>
        <source>Image file</source>
        <translation>图片文件</translation>
    </message>
    <message>
        <source>fit to the layers</source>
        <translation>适合图层范围</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>West, south, east, north in degrees; empty fits the layers</source>
        <translation>西、南、东、北（度）；留空则适应图层范围</translation>
    </message>
    <message>
        <source>Empty: the project&apos;s map CRS</source>
        <translation>留空：使用项目的地图坐标系</translation>
    </message>
    <message>
        <source>keep the layers shown now</source>
        <translation>保持当前显示的图层</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>左对齐</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>居中</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>右对齐</translation>
    </message>
    <message>
        <source>metres</source>
        <translation>米</translation>
    </message>
    <message>
        <source>kilometres</source>
        <translation>千米</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation>导出 SVG…</translation>
    </message>
    <message>
        <source>none (one page)</source>
        <translation>无（单页）</translation>
    </message>
    <message>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Subtitle</source>
        <translation>副标题</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <source>Scale bar</source>
        <translation>比例尺</translation>
    </message>
    <message>
        <source>North arrow</source>
        <translation>指北针</translation>
    </message>
    <message>
        <source>Credits</source>
        <translation>数据来源</translation>
    </message>
    <message>
        <source>Map review number</source>
        <translation>审图号</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Overview map</source>
        <translation>鹰眼图</translation>
    </message>
    <message>
        <source>Indicator table</source>
        <translation>指标表</translation>
    </message>
    <message>
        <source>Add layout</source>
        <translation>添加布局</translation>
    </message>
    <message>
        <source>Add {kind}</source>
        <translation>添加{kind}</translation>
    </message>
    <message>
        <source>Remove {kind}</source>
        <translation>删除{kind}</translation>
    </message>
    <message>
        <source>Resize item</source>
        <translation>调整图元大小</translation>
    </message>
    <message>
        <source>Move item</source>
        <translation>移动图元</translation>
    </message>
    <message>
        <source>Feature {n} of {count}: {name}</source>
        <translation>第 {n} 个要素，共 {count} 个：{name}</translation>
    </message>
    <message>
        <source>Change page</source>
        <translation>修改页面</translation>
    </message>
    <message>
        <source>Change {kind}</source>
        <translation>修改{kind}</translation>
    </message>
    <message>
        <source>{text} is not an extent: give west, south, east, north in degrees, for example 121.45,38.85,121.60,38.95</source>
        <translation>{text} 不是有效的范围：请按西、南、东、北的顺序输入经纬度，例如 121.45,38.85,121.60,38.95</translation>
    </message>
    <message>
        <source>{text} is not a CRS (try EPSG:3857 or EPSG:4550)</source>
        <translation>{text} 不是有效的坐标系（可试 EPSG:3857 或 EPSG:4550）</translation>
    </message>
    <message>
        <source>{text} is not a map CRS: choose a projected or geographic one</source>
        <translation>{text} 不是地图坐标系：请选择投影坐标系或地理坐标系</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.svg *.bmp *.gif)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.svg *.bmp *.gif)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>SVG (*.svg)</source>
        <translation>SVG (*.svg)</translation>
    </message>
    <message>
        <source>Export layout</source>
        <translation>导出布局</translation>
    </message>
    <message>
        <source>Exporting {file}…</source>
        <translation>正在导出 {file}…</translation>
    </message>
    <message>
        <source>{file} could not be written: {problem}</source>
        <translation>无法写入 {file}：{problem}</translation>
    </message>
    <message>
        <source>Written: {files}</source>
        <translation>已写出：{files}</translation>
    </message>
</context>
<context>
    <name>LayoutsController</name>
    <message>
        <source>New print layout…</source>
        <translation>新建打印布局…</translation>
    </message>
    <message>
        <source>Print layouts…</source>
        <translation>打印布局…</translation>
    </message>
</context>
<context>
    <name>LoadReport</name>
    <message>
        <source>… and {count} more</source>
        <translation>… 另有 {count} 个</translation>
    </message>
    <message>
        <source>Opened with problems</source>
        <translation>已打开，但有问题</translation>
    </message>
    <message>
        <source>Some files could not be opened</source>
        <translation>部分文件无法打开</translation>
    </message>
    <message>
        <source>Rejected features were not loaded (Show Details lists them). Saving the project writes those layers without them.</source>
        <translation>被拒绝的要素没有载入（“显示详情”中列出）。保存项目时，这些图层将不含这些要素。</translation>
    </message>
    <message>
        <source>Check where the layer lands; Layer &gt; Set layer CRS… changes the CRS its coordinates are read in.</source>
        <translation>请检查图层所在位置；“图层 &gt; 设置图层坐标系…”可更改解读其坐标所用的坐标系。</translation>
    </message>
    <message>
        <source>Set layer CRS…</source>
        <translation>设置图层坐标系…</translation>
    </message>
</context>
<context>
    <name>LocateBox</name>
    <message>
        <source>No feature matches “{text}”</source>
        <translation>没有要素匹配“{text}”</translation>
    </message>
    <message>
        <source>Only the first {n} matches are listed: type more</source>
        <translation>仅列出前 {n} 个结果：请输入更多文字</translation>
    </message>
    <message>
        <source>Still indexing {n} large layer(s)…</source>
        <translation>仍在为 {n} 个大图层建立索引…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Layer</source>
        <translation>图层(&amp;L)</translation>
    </message>
    <message>
        <source>L&amp;anguage</source>
        <translation>语言(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Map CRS</source>
        <translation>地图坐标系</translation>
    </message>
    <message>
        <source>&amp;Open data…</source>
        <translation>打开数据(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Export web map…</source>
        <translation>导出网页地图…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom to full extent</source>
        <translation>缩放至全图</translation>
    </message>
    <message>
        <source>Zoom to layer</source>
        <translation>缩放至图层</translation>
    </message>
    <message>
        <source>Zoom to selection</source>
        <translation>缩放至所选</translation>
    </message>
    <message>
        <source>Attribute table</source>
        <translation>属性表</translation>
    </message>
    <message>
        <source>Remove layer</source>
        <translation>移除图层</translation>
    </message>
    <message>
        <source>Set layer CRS…</source>
        <translation>设置图层坐标系…</translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation>清除选择</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Feature and plan indicators</source>
        <translation>要素与规划指标</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>bundled Dalian project</source>
        <translation>内置大连项目</translation>
    </message>
    <message>
        <source>The project has no layer with attributes.</source>
        <translation>项目中没有带属性的图层。</translation>
    </message>
    <message>
        <source>Open the attribute table of:</source>
        <translation>打开以下图层的属性表：</translation>
    </message>
    <message>
        <source>Vector data and QGIS projects ({patterns});;QGIS projects (*.qgs *.qgz);;All files (*)</source>
        <translation>矢量数据和 QGIS 项目 ({patterns});;QGIS 项目 (*.qgs *.qgz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>choose the layer to apply the style to in the layer tree, or drop the style onto the layer</source>
        <translation>请先在图层树中选择要应用样式的图层，或把样式文件拖到该图层上</translation>
    </message>
    <message>
        <source>The map could not be drawn: {error}</source>
        <translation>无法绘制地图：{error}</translation>
    </message>
    <message>
        <source>Lon {lon:.5f}°  Lat {lat:.5f}°</source>
        <translation>经度 {lon:.5f}°  纬度 {lat:.5f}°</translation>
    </message>
    <message>
        <source>Scale 1:{scale}</source>
        <translation>比例尺 1:{scale}</translation>
    </message>
    <message>
        <source>{layer} has unsaved edits. Remove it and lose them?</source>
        <translation>{layer}有未保存的编辑。仍要移除该图层并丢弃这些编辑吗？</translation>
    </message>
    <message>
        <source>Remove and lose the edits</source>
        <translation>移除并丢弃编辑</translation>
    </message>
    <message>
        <source>Attribute table — {layer}</source>
        <translation>属性表 — {layer}</translation>
    </message>
    <message>
        <source>Choose a layer in the layer tree first.</source>
        <translation>请先在图层树中选择一个图层。</translation>
    </message>
    <message>
        <source>Open data</source>
        <translation>打开数据</translation>
    </message>
    <message>
        <source>Some files could not be opened</source>
        <translation>部分文件无法打开</translation>
    </message>
    <message>
        <source>The layer CRS was not changed</source>
        <translation>图层坐标系未更改</translation>
    </message>
    <message>
        <source>{layer} is being edited: stop editing first.</source>
        <translation>{layer} 正在编辑中：请先停止编辑。</translation>
    </message>
    <message>
        <source>{layer} is now read in {crs}</source>
        <translation>{layer} 现按 {crs} 解读</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <source>GeoPackage project (*.gpkg)</source>
        <translation>GeoPackage 项目 (*.gpkg)</translation>
    </message>
    <message>
        <source>The project was not saved</source>
        <translation>项目未保存</translation>
    </message>
    <message>
        <source>A file is still opening: save when it is open, or cancel it.</source>
        <translation>仍有文件正在打开：请在打开完成后保存，或取消打开。</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>{name} cannot be overwritten, so it was not changed.</source>
        <translation>{name} 无法覆盖，文件未作改动。</translation>
    </message>
    <message>
        <source>Save the project under another name?</source>
        <translation>将项目另存为其他文件？</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>The disk is full: {name} could not be written. The previous version is unchanged; free some space or save to another disk.</source>
        <translation>磁盘已满：无法写入 {name}。原有版本未改动；请释放空间或保存到其他磁盘。</translation>
    </message>
    <message>
        <source>Unsaved edits in: {layers}</source>
        <translation>以下图层有未保存的编辑：{layers}</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The project has unsaved changes. Save them first?</source>
        <translation>项目有未保存的更改。是否先保存？</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>A desktop GIS for spatial planning: the Dalian High-tech Zone&apos;s “one corridor, one core, one city, multiple clusters” layout and its plan indicators.</source>
        <translation>面向空间规划的桌面 GIS：大连高新区“一廊一心一城多组团”空间布局及其规划指标。</translation>
    </message>
    <message>
        <source>Data: © OpenStreetMap contributors (ODbL); geoBoundaries (Runfola et al. 2020). Plan shapes are schematic: placed from the plan text, not surveyed.</source>
        <translation>数据：© OpenStreetMap 贡献者（ODbL）；geoBoundaries（Runfola 等，2020）。规划图形为示意：依据规划文本布设，非测绘成果。</translation>
    </message>
    <message>
        <source>About gisapp</source>
        <translation>关于 gisapp</translation>
    </message>
</context>
<context>
    <name>MapCanvas</name>
    <message>
        <source>The map cannot show that view: it lies outside the range of real coordinates.</source>
        <translation>地图无法显示该视图：它超出了实际坐标的范围。</translation>
    </message>
    <message>
        <source>it has no usable coordinates (empty, or not finite numbers)</source>
        <translation>没有可用的坐标（为空，或不是有限数值）</translation>
    </message>
    <message>
        <source>its extent is empty</source>
        <translation>其范围为空</translation>
    </message>
    <message>
        <source>its coordinates lie far outside the map CRS (is the layer&apos;s CRS right?)</source>
        <translation>其坐标远超出地图坐标系的范围（图层的坐标系是否正确？）</translation>
    </message>
    <message>
        <source>{layer} is left out of the full extent: {reason}.</source>
        <translation>{layer} 未计入全图范围：{reason}。</translation>
    </message>
    <message>
        <source>Cannot zoom to {layer}: its extent cannot be shown in this map CRS.</source>
        <translation>无法缩放到 {layer}：其范围无法在当前地图坐标系中显示。</translation>
    </message>
    <message>
        <source>Cannot zoom to {layer}: {reason}.</source>
        <translation>无法缩放到 {layer}：{reason}。</translation>
    </message>
    <message>
        <source>Cannot zoom to feature {number} of {layer}: {reason}.</source>
        <translation>无法缩放到 {layer} 的第 {number} 个要素：{reason}。</translation>
    </message>
    <message>
        <source>The map cannot show that extent: {reason}.</source>
        <translation>地图无法显示该范围：{reason}。</translation>
    </message>
    <message>
        <source>the server cannot be reached (offline?)</source>
        <translation>无法连接服务器（是否离线？）</translation>
    </message>
    <message>
        <source>the server does not answer in time</source>
        <translation>服务器未及时响应</translation>
    </message>
    <message>
        <source>no Tianditu key: add it in Layer &gt; Add basemap</source>
        <translation>没有天地图密钥：请在“图层 &gt; 添加底图”中填写</translation>
    </message>
    <message>
        <source>the server sent something that is not an image</source>
        <translation>服务器返回的内容不是图像</translation>
    </message>
    <message>
        <source>the file is damaged</source>
        <translation>文件已损坏</translation>
    </message>
    <message>
        <source>the server answered {kind}</source>
        <translation>服务器返回 {kind}</translation>
    </message>
    <message>
        <source>{layer}: some tiles are missing: {reason}. Cached tiles are shown.</source>
        <translation>{layer}：部分瓦片缺失：{reason}。已显示缓存的瓦片。</translation>
    </message>
    <message>
        <source>Basemaps are drawn in Web Mercator only: choose View &gt; Map CRS &gt; EPSG:3857 to see them.</source>
        <translation>底图仅在 Web 墨卡托坐标系下绘制：请选择“视图 &gt; 地图坐标系 &gt; EPSG:3857”以显示底图。</translation>
    </message>
    <message>
        <source>The raster could not be drawn: {problem}</source>
        <translation>栅格无法绘制：{problem}</translation>
    </message>
</context>
<context>
    <name>MeasurePanel</name>
    <message>
        <source>Segment</source>
        <translation>线段</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the segments and totals (Ctrl+C)</source>
        <translation>复制各段长度与合计（Ctrl+C）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Length unit</source>
        <translation>长度单位</translation>
    </message>
    <message>
        <source>Area unit</source>
        <translation>面积单位</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>metres (m)</source>
        <translation>米（m）</translation>
    </message>
    <message>
        <source>kilometres (km)</source>
        <translation>千米（km）</translation>
    </message>
    <message>
        <source>square metres (m²)</source>
        <translation>平方米（m²）</translation>
    </message>
    <message>
        <source>hectares (ha)</source>
        <translation>公顷（ha）</translation>
    </message>
    <message>
        <source>square kilometres (km²)</source>
        <translation>平方千米（km²）</translation>
    </message>
    <message>
        <source>Click points on the map (they snap to vertices and edges). Right-click, double-click or Enter finishes; Backspace removes the last point; Esc finishes, a second Esc clears. Lengths and areas are geodesic (WGS 84 ellipsoid), whatever the map CRS.</source>
        <translation>在地图上单击各点（会捕捉到节点和边）。右键、双击或回车结束；退格键删除最后一点；Esc 结束，再按一次 Esc 清除。无论地图坐标系如何，长度和面积均按椭球（WGS 84）测地计算。</translation>
    </message>
    <message>
        <source>Segment {n}</source>
        <translation>第 {n} 段</translation>
    </message>
    <message>
        <source>Perimeter</source>
        <translation>周长</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <source>Angle</source>
        <translation>角度</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>No measurement yet</source>
        <translation>尚未测量</translation>
    </message>
</context>
<context>
    <name>OpenProgress</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop opening this file; the project stays as it was</source>
        <translation>停止打开此文件；项目保持原样</translation>
    </message>
    <message>
        <source>Opening {name} ({count} more waiting)</source>
        <translation>正在打开 {name}（另有 {count} 个等待）</translation>
    </message>
    <message>
        <source>Opening {name}</source>
        <translation>正在打开 {name}</translation>
    </message>
    <message>
        <source>{read} of {total} features</source>
        <translation>已读 {read} / {total} 个要素</translation>
    </message>
    <message>
        <source>{read} features</source>
        <translation>已读 {read} 个要素</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>PostGIS password</source>
        <translation>PostGIS 密码</translation>
    </message>
    <message>
        <source>{server} asks for the password of {user}.</source>
        <translation>{server} 需要 {user} 的密码。</translation>
    </message>
    <message>
        <source>the default user</source>
        <translation>默认用户</translation>
    </message>
    <message>
        <source>Remember in the system keyring</source>
        <translation>保存在系统钥匙串中</translation>
    </message>
</context>
<context>
    <name>PostgisBrowser</name>
    <message>
        <source>Add PostGIS layers</source>
        <translation>添加 PostGIS 图层</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Add to project</source>
        <translation>添加到项目</translation>
    </message>
    <message>
        <source>Prepare for team editing</source>
        <translation>准备团队编辑</translation>
    </message>
    <message>
        <source>Adds row versions, a history table and change notices to the table, so saves never overwrite each other&apos;s edits unseen. Needs the table&apos;s owner; editors then need only SELECT, INSERT, UPDATE and DELETE.</source>
        <translation>为表添加行版本、历史表和变更通知，使保存不会在无人察觉时覆盖他人的编辑。需要表的所有者执行；之后编辑者只需 SELECT、INSERT、UPDATE 和 DELETE 权限。</translation>
    </message>
    <message>
        <source>Schema / table</source>
        <translation>模式 / 表</translation>
    </message>
    <message>
        <source>Geometry column</source>
        <translation>几何列</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>SRID</source>
        <translation>SRID</translation>
    </message>
    <message>
        <source>Rows (estimate)</source>
        <translation>行数（估计）</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>主键</translation>
    </message>
    <message>
        <source>Team editing</source>
        <translation>团队编辑</translation>
    </message>
    <message>
        <source>Make a connection first (New…).</source>
        <translation>请先新建连接（新建…）。</translation>
    </message>
    <message>
        <source>Reading the tables of {server}…</source>
        <translation>正在读取 {server} 的表…</translation>
    </message>
    <message>
        <source>Could not read the tables: {error}</source>
        <translation>无法读取表：{error}</translation>
    </message>
    <message>
        <source>not counted yet</source>
        <translation>尚未统计</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>not prepared</source>
        <translation>未准备</translation>
    </message>
    <message>
        <source>No single-column primary key: its edits could not be saved.</source>
        <translation>没有单列主键：其编辑无法保存。</translation>
    </message>
    <message>
        <source>{n} geometry table(s). Choose the ones to add.</source>
        <translation>{n} 个几何表。请选择要添加的表。</translation>
    </message>
    <message>
        <source>This database has no table with a geometry column that you may read.</source>
        <translation>此数据库中没有您可读取的含几何列的表。</translation>
    </message>
    <message>
        <source>Adding {n} table(s) to the project…</source>
        <translation>正在将 {n} 个表添加到项目…</translation>
    </message>
    <message>
        <source>Preparing {n} table(s) for team editing…</source>
        <translation>正在为团队编辑准备 {n} 个表…</translation>
    </message>
    <message>
        <source>The table was not prepared: {error}</source>
        <translation>表未能准备：{error}</translation>
    </message>
    <message>
        <source>Prepared for team editing. Reading the tables again…</source>
        <translation>已准备好团队编辑。正在重新读取表…</translation>
    </message>
</context>
<context>
    <name>PostgisController</name>
    <message>
        <source>Add PostGIS layers…</source>
        <translation>添加 PostGIS 图层…</translation>
    </message>
    <message>
        <source>Reload from PostGIS</source>
        <translation>从 PostGIS 重新加载</translation>
    </message>
    <message>
        <source>Note for the next PostGIS save…</source>
        <translation>下次 PostGIS 保存的说明…</translation>
    </message>
    <message>
        <source>Comment and plan citation kept in the shared tables&apos; history</source>
        <translation>随共享表的历史记录保存的说明和规划依据</translation>
    </message>
    <message>
        <source>Next save: {note}</source>
        <translation>下次保存：{note}</translation>
    </message>
    <message>
        <source>Reading {n} table(s) from {server}…</source>
        <translation>正在从 {server} 读取 {n} 个表…</translation>
    </message>
    <message>
        <source>Choose a PostGIS layer in the layer tree first.</source>
        <translation>请先在图层树中选择一个 PostGIS 图层。</translation>
    </message>
    <message>
        <source>The layer was not reloaded</source>
        <translation>图层未重新加载</translation>
    </message>
    <message>
        <source>{layer} has unsaved edits: save or discard them first.</source>
        <translation>{layer} 有未保存的编辑：请先保存或放弃。</translation>
    </message>
    <message>
        <source>Reading {layer} from {server}…</source>
        <translation>正在从 {server} 读取 {layer}…</translation>
    </message>
    <message>
        <source>PostGIS tables were not added</source>
        <translation>PostGIS 表未添加</translation>
    </message>
    <message>
        <source>Added {layers} from PostGIS.</source>
        <translation>已从 PostGIS 添加 {layers}。</translation>
    </message>
    <message>
        <source>Added {n} layer(s).</source>
        <translation>已添加 {n} 个图层。</translation>
    </message>
    <message>
        <source>{layer}: {n} feature(s) read from the server.</source>
        <translation>{layer}：已从服务器读取 {n} 个要素。</translation>
    </message>
    <message>
        <source>The next PostGIS save keeps this note in the history.</source>
        <translation>下次 PostGIS 保存会把这条说明记入历史。</translation>
    </message>
    <message>
        <source>The edits were not saved</source>
        <translation>编辑未保存</translation>
    </message>
    <message>
        <source>{layer}: the changed features are not known one by one, so they cannot be sent to the server. Reload the layer and edit again.</source>
        <translation>{layer}：无法逐个确定已更改的要素，因此不能发送到服务器。请重新加载图层后再编辑。</translation>
    </message>
    <message>
        <source>{layer} was replaced as a whole; only changed, added and deleted features can be saved to a shared table.</source>
        <translation>{layer} 被整体替换；共享表只能保存更改、新增和删除的要素。</translation>
    </message>
    <message>
        <source>Saving {layer} was cancelled; nothing was written and your edits are kept.</source>
        <translation>已取消保存 {layer}；未写入任何内容，您的编辑已保留。</translation>
    </message>
    <message>
        <source>{layer} could not be saved to the server {server}.</source>
        <translation>{layer} 无法保存到服务器 {server}。</translation>
    </message>
    <message>
        <source>Your edits are kept in the edit buffer. Try again?</source>
        <translation>您的编辑仍保留在编辑缓冲区中。要重试吗？</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Saving {layer} to {server}…</source>
        <translation>正在将 {layer} 保存到 {server}…</translation>
    </message>
    <message>
        <source>{layer}: {updated} changed, {inserted} added, {deleted} deleted feature(s) saved to the server.</source>
        <translation>{layer}：已将 {updated} 个更改、{inserted} 个新增、{deleted} 个删除的要素保存到服务器。</translation>
    </message>
    <message>
        <source>Nothing was written; your edits are kept.</source>
        <translation>未写入任何内容；您的编辑已保留。</translation>
    </message>
    <message>
        <source>Someone else changed these features</source>
        <translation>其他人已更改这些要素</translation>
    </message>
</context>
<context>
    <name>PublishController</name>
    <message>
        <source>Publish to PostGIS…</source>
        <translation>发布到 PostGIS…</translation>
    </message>
    <message>
        <source>Share actuals on PostGIS</source>
        <translation>在 PostGIS 上共享监测值</translation>
    </message>
    <message>
        <source>Actuals not shared</source>
        <translation>监测值未共享</translation>
    </message>
    <message>
        <source>The monitoring values stay in this window; share them again when the server answers.
{problem}</source>
        <translation>监测值仍保留在此窗口中；服务器恢复响应后请再次共享。
{problem}</translation>
    </message>
    <message>
        <source>Actuals shared on {server}: {count} values there now, colleagues&apos; included.</source>
        <translation>监测值已共享到 {server}：服务器上现有 {count} 个值（含同事的）。</translation>
    </message>
</context>
<context>
    <name>PublishDialog</name>
    <message>
        <source>Publish to PostGIS</source>
        <translation>发布到 PostGIS</translation>
    </message>
    <message>
        <source>Writes every vector layer as a table (primary key, spatial index), its style into the layer_styles table QGIS reads, and the indicators, links and actuals into one schema. Colleagues open it with gisapp --project URL?schema=NAME or add its tables in QGIS. Publishing needs the right to create tables.</source>
        <translation>把每个矢量图层写成一张表（主键、空间索引），把样式写入 QGIS 读取的 layer_styles 表，并把指标、关联和监测值写入同一个模式。同事可用 gisapp --project URL?schema=模式名 打开，或在 QGIS 中添加这些表。发布需要建表权限。</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>服务器 URL</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Schema</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>empty: from ~/.pgpass, the service file or the keyring</source>
        <translation>留空：取自 ~/.pgpass、服务文件或系统钥匙串</translation>
    </message>
    <message>
        <source>Replace a project published there before (other tables stay)</source>
        <translation>替换此前发布在此的项目（其他表保留）</translation>
    </message>
    <message>
        <source>Publish</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>Publishing to {server}, schema {schema}…</source>
        <translation>正在发布到 {server}，模式 {schema}…</translation>
    </message>
    <message>
        <source>Not published: {problem}</source>
        <translation>未发布：{problem}</translation>
    </message>
    <message>
        <source>Published {count} layers to {server}, schema {schema}.</source>
        <translation>已将 {count} 个图层发布到 {server}，模式 {schema}。</translation>
    </message>
    <message>
        <source>Left out (basemaps and rasters are files on this computer): {layers}</source>
        <translation>未包含（底图和栅格是本机上的文件）：{layers}</translation>
    </message>
</context>
<context>
    <name>QgisFiles</name>
    <message>
        <source>Load style…</source>
        <translation>加载样式…</translation>
    </message>
    <message>
        <source>Save style as .qml / .sld…</source>
        <translation>样式另存为 .qml / .sld…</translation>
    </message>
    <message>
        <source>QGIS or SLD style (*.qml *.sld);;QGIS style (*.qml);;SLD style (*.sld)</source>
        <translation>QGIS 或 SLD 样式 (*.qml *.sld);;QGIS 样式 (*.qml);;SLD 样式 (*.sld)</translation>
    </message>
    <message>
        <source>Choose a layer in the layer tree first.</source>
        <translation>请先在图层树中选择一个图层。</translation>
    </message>
    <message>
        <source>Load style for {layer}</source>
        <translation>为 {layer} 加载样式</translation>
    </message>
    <message>
        <source>{layer} is being edited: stop editing first.</source>
        <translation>{layer} 正在编辑中：请先停止编辑。</translation>
    </message>
    <message>
        <source>{file}: applied to {layer}, simplified: {notes}</source>
        <translation>{file}：已应用到 {layer}，但做了简化：{notes}</translation>
    </message>
    <message>
        <source>Style {file} applied to {layer}</source>
        <translation>样式 {file} 已应用到 {layer}</translation>
    </message>
    <message>
        <source>Save style of {layer}</source>
        <translation>保存 {layer} 的样式</translation>
    </message>
    <message>
        <source>QGIS style (*.qml);;SLD style (*.sld)</source>
        <translation>QGIS 样式 (*.qml);;SLD 样式 (*.sld)</translation>
    </message>
    <message>
        <source>The style was not saved</source>
        <translation>样式未保存</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
</context>
<context>
    <name>RasterController</name>
    <message>
        <source>Raster style…</source>
        <translation>栅格样式…</translation>
    </message>
    <message>
        <source>The layer CRS was not changed</source>
        <translation>图层坐标系未更改</translation>
    </message>
    <message>
        <source>{layer} is now read in {crs}</source>
        <translation>{layer} 现按 {crs} 解读</translation>
    </message>
    <message>
        <source>Choose a raster layer in the layer tree first.</source>
        <translation>请先在图层树中选择一个栅格图层。</translation>
    </message>
</context>
<context>
    <name>RasterStyleDialog</name>
    <message>
        <source>Raster style: {layer}</source>
        <translation>栅格样式：{layer}</translation>
    </message>
    <message>
        <source>Red, green, blue (bands 1-3)</source>
        <translation>红、绿、蓝（波段 1-3）</translation>
    </message>
    <message>
        <source>One band with a colour ramp</source>
        <translation>单波段配色带</translation>
    </message>
    <message>
        <source>Default stretch (2%-98%)</source>
        <translation>默认拉伸（2%-98%）</translation>
    </message>
    <message>
        <source>Render as</source>
        <translation>显示方式</translation>
    </message>
    <message>
        <source>Band</source>
        <translation>波段</translation>
    </message>
    <message>
        <source>Colour ramp</source>
        <translation>色带</translation>
    </message>
    <message>
        <source>Minimum</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>Maximum</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>The minimum must be below the maximum.</source>
        <translation>最小值必须小于最大值。</translation>
    </message>
</context>
<context>
    <name>RenameDialog</name>
    <message>
        <source>Rename layer</source>
        <translation>重命名图层</translation>
    </message>
    <message>
        <source>Chinese name</source>
        <translation>中文名称</translation>
    </message>
    <message>
        <source>English name</source>
        <translation>英文名称</translation>
    </message>
</context>
<context>
    <name>SaveNoteDialog</name>
    <message>
        <source>Note for the next PostGIS save</source>
        <translation>下次 PostGIS 保存的说明</translation>
    </message>
    <message>
        <source>The next save of shared PostGIS tables keeps this note with every feature it writes; colleagues read it in the feature history.</source>
        <translation>下次保存共享的 PostGIS 表时，这条说明会随写入的每个要素一起保存；同事可在要素历史中查看。</translation>
    </message>
    <message>
        <source>What was changed and why, e.g. boundary follows the surveyed road</source>
        <translation>改了什么、为什么改，例如：边界按实测道路调整</translation>
    </message>
    <message>
        <source>The plan passage the change follows (optional)</source>
        <translation>修改所依据的规划条文（可选）</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Plan citation</source>
        <translation>规划依据</translation>
    </message>
</context>
<context>
    <name>SelectByExpressionDialog</name>
    <message>
        <source>Select by expression — {layer}</source>
        <translation>按表达式选择 — {layer}</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Selection</source>
        <translation>选择方式</translation>
    </message>
    <message>
        <source>Create a new selection</source>
        <translation>新建选择</translation>
    </message>
    <message>
        <source>Add to the current selection</source>
        <translation>添加到当前选择</translation>
    </message>
    <message>
        <source>Remove from the current selection</source>
        <translation>从当前选择中移除</translation>
    </message>
    <message>
        <source>Select within the current selection</source>
        <translation>在当前选择中选择</translation>
    </message>
    <message>
        <source>Select features</source>
        <translation>选择要素</translation>
    </message>
    <message>
        <source>{count} features selected</source>
        <translation>已选择 {count} 个要素</translation>
    </message>
</context>
<context>
    <name>SessionOperations</name>
    <message>
        <source>Choose a layer in the layer tree first.</source>
        <translation>请先在图层树中选择一个图层。</translation>
    </message>
    <message>
        <source>{layer} is still being read; edit it once it is open.</source>
        <translation>{layer} 仍在读取中；打开完成后再编辑。</translation>
    </message>
    <message>
        <source>{layer} could not be read from its server; use Layer &gt; Reload from PostGIS, then edit it.</source>
        <translation>{layer} 无法从其服务器读取；请使用“图层 &gt; 从 PostGIS 重新加载”，然后再编辑。</translation>
    </message>
    <message>
        <source>Editing {layer}. Edits stay in the edit buffer until you save.</source>
        <translation>正在编辑{layer}。保存之前，编辑保留在编辑缓冲区中。</translation>
    </message>
    <message>
        <source>Its zones share boundaries, so topological editing is on: a shared vertex moves in every zone (Edit &gt; Topological editing).</source>
        <translation>其片区共用边界，已开启拓扑编辑：拖动共用节点时所有相邻片区一起移动（编辑 &gt; 拓扑编辑）。</translation>
    </message>
    <message>
        <source>Stop editing</source>
        <translation>停止编辑</translation>
    </message>
    <message>
        <source>{layer} has unsaved edits. Save them before you stop editing?</source>
        <translation>{layer}有未保存的编辑。停止编辑前先保存吗？</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Discard edits</source>
        <translation>放弃编辑</translation>
    </message>
    <message>
        <source>Discard all unsaved edits to {layer}? This cannot be undone.</source>
        <translation>放弃对{layer}的全部未保存编辑吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Edits discarded.</source>
        <translation>已放弃编辑。</translation>
    </message>
    <message>
        <source>Invalid geometries</source>
        <translation>无效几何</translation>
    </message>
    <message>
        <source>{n} edited feature(s) have invalid geometry (they are marked on the map). Repair them before saving?</source>
        <translation>{n} 个已编辑要素的几何无效（已在地图上标出）。保存前先修复吗？</translation>
    </message>
    <message>
        <source>Repair and save</source>
        <translation>修复并保存</translation>
    </message>
    <message>
        <source>Save as they are</source>
        <translation>按原样保存</translation>
    </message>
    <message>
        <source>Merge features</source>
        <translation>合并要素</translation>
    </message>
    <message>
        <source>Keep the attributes of which feature?</source>
        <translation>保留哪个要素的属性？</translation>
    </message>
    <message>
        <source>Mark the selected features as traced</source>
        <translation>将所选要素标记为描绘所得</translation>
    </message>
    <message>
        <source>Figure the selected features were traced over:</source>
        <translation>所选要素描绘时所依据的图：</translation>
    </message>
    <message>
        <source>Copied {n} feature(s) from {layer}.</source>
        <translation>已从{layer}复制 {n} 个要素。</translation>
    </message>
</context>
<context>
    <name>StyleDialog</name>
    <message>
        <source>Style layer</source>
        <translation>图层样式</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <source>Style by</source>
        <translation>样式依据</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>分级方法</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>分级数</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标注</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Restore the layer&apos;s style</source>
        <translation>恢复图层原样式</translation>
    </message>
    <message>
        <source>a field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>a plan indicator</source>
        <translation>规划指标</translation>
    </message>
    <message>
        <source>latest actual value</source>
        <translation>最新实际值</translation>
    </message>
    <message>
        <source>progress (%)</source>
        <translation>进度（%）</translation>
    </message>
    <message>
        <source>progress status</source>
        <translation>进度状态</translation>
    </message>
    <message>
        <source>graduated (numeric classes)</source>
        <translation>分级（数值分级）</translation>
    </message>
    <message>
        <source>categorized (one colour per value)</source>
        <translation>分类（每个值一种颜色）</translation>
    </message>
    <message>
        <source>progress status (achieved / on track / behind)</source>
        <translation>进度状态（已完成 / 进度正常 / 滞后）</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>the indicator&apos;s latest value</source>
        <translation>指标最新值</translation>
    </message>
    <message>
        <source>the indicator&apos;s progress (%)</source>
        <translation>指标进度（%）</translation>
    </message>
    <message>
        <source>the indicator&apos;s status</source>
        <translation>指标状态</translation>
    </message>
    <message>
        <source>Labels of {layer}</source>
        <translation>{layer} 的标注</translation>
    </message>
    <message>
        <source>The field {field} has no numbers: choose categorized.</source>
        <translation>字段 {field} 没有数值：请选择分类方式。</translation>
    </message>
    <message>
        <source>There are no numbers to classify yet: enter actual values for the layer&apos;s features, or choose progress status.</source>
        <translation>尚无可分级的数值：请为该图层的要素录入实际值，或选择进度状态。</translation>
    </message>
    <message>
        <source>Styled by {column}: {classes} legend entries.</source>
        <translation>已按 {column} 设置样式：图例 {classes} 项。</translation>
    </message>
</context>
<context>
    <name>TeamController</name>
    <message>
        <source>Feature history</source>
        <translation>要素历史</translation>
    </message>
    <message>
        <source>Live changes from the server stopped: {error}. Retrying…</source>
        <translation>来自服务器的实时更改已中断：{error}。正在重试…</translation>
    </message>
    <message>
        <source>another editor</source>
        <translation>另一位编辑者</translation>
    </message>
    <message>
        <source>{n} feature(s) of {layer} changed by {who} are shown as saved</source>
        <translation>{layer} 中由 {who} 修改的 {n} 个要素已按保存后的样子显示</translation>
    </message>
    <message>
        <source>{n} feature(s) you are editing were also changed by {who}: they are marked, and saving will ask which version to keep</source>
        <translation>您正在编辑的 {n} 个要素也被 {who} 修改：已作标记，保存时将询问保留哪个版本</translation>
    </message>
    <message>
        <source>{n} feature(s) added or deleted by {who} appear when you stop editing</source>
        <translation>{who} 新增或删除的 {n} 个要素将在您停止编辑后显示</translation>
    </message>
    <message>
        <source>{who} deleted this feature on the server while you edit it; saving will ask which version to keep.</source>
        <translation>在您编辑期间，{who} 已在服务器上删除此要素；保存时将询问保留哪个版本。</translation>
    </message>
    <message>
        <source>{who} saved version {version} of this feature while you edit it; saving will ask which version to keep.</source>
        <translation>在您编辑期间，{who} 保存了此要素的第 {version} 版；保存时将询问保留哪个版本。</translation>
    </message>
    <message>
        <source>Also changed by {who}</source>
        <translation>也被 {who} 修改</translation>
    </message>
    <message>
        <source>Saved by {who}</source>
        <translation>{who} 已保存</translation>
    </message>
    <message>
        <source>{layer} is not a PostGIS table: its features have no saved versions.</source>
        <translation>{layer} 不是 PostGIS 表：其要素没有保存的版本。</translation>
    </message>
    <message>
        <source>This feature is not saved to the server yet: it has no history.</source>
        <translation>此要素尚未保存到服务器：没有历史。</translation>
    </message>
    <message>
        <source>The history could not be read: {error}</source>
        <translation>无法读取历史：{error}</translation>
    </message>
    <message>
        <source>Version {version} ({who}, {when})</source>
        <translation>第 {version} 版（{who}，{when}）</translation>
    </message>
    <message>
        <source>The feature is not in the layer any more.</source>
        <translation>该要素已不在图层中。</translation>
    </message>
    <message>
        <source>The feature already holds version {version}.</source>
        <translation>该要素已是第 {version} 版的内容。</translation>
    </message>
    <message>
        <source>Version {version} restored as a new edit: save to write it, undo to take it back.</source>
        <translation>已将第 {version} 版恢复为一次新编辑：保存即写入，撤销可收回。</translation>
    </message>
    <message>
        <source>The decisions were not applied</source>
        <translation>未应用这些决定</translation>
    </message>
    <message>
        <source>Resolve conflicting edits of {layer}</source>
        <translation>解决 {layer} 的编辑冲突</translation>
    </message>
    <message>
        <source>{n} conflict(s) resolved; saving again.</source>
        <translation>已解决 {n} 个冲突；正在重新保存。</translation>
    </message>
    <message>
        <source>Others&apos; changes could not be read: {error}</source>
        <translation>无法读取他人的修改：{error}</translation>
    </message>
</context>
<context>
    <name>ToolsController</name>
    <message>
        <source>Measure distance</source>
        <translation>测量距离</translation>
    </message>
    <message>
        <source>Distance</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>Measure area</source>
        <translation>测量面积</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <source>Measure angle</source>
        <translation>测量角度</translation>
    </message>
    <message>
        <source>Angle</source>
        <translation>角度</translation>
    </message>
    <message>
        <source>Capture coordinates</source>
        <translation>拾取坐标</translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation>坐标</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>测量</translation>
    </message>
    <message>
        <source>Bookmarks</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>New bookmark</source>
        <translation>新建书签</translation>
    </message>
    <message>
        <source>Bookmark</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>Show bookmarks</source>
        <translation>显示书签</translation>
    </message>
    <message>
        <source>Go to coordinate…</source>
        <translation>转到坐标…</translation>
    </message>
    <message>
        <source>Locate feature…</source>
        <translation>定位要素…</translation>
    </message>
    <message>
        <source>Copy measurement</source>
        <translation>复制测量结果</translation>
    </message>
    <message>
        <source>Spatial bookmarks</source>
        <translation>空间书签</translation>
    </message>
    <message>
        <source>Tools toolbar</source>
        <translation>工具栏</translation>
    </message>
    <message>
        <source>Locate</source>
        <translation>定位</translation>
    </message>
    <message>
        <source>Locate feature by name or id (Ctrl+K)</source>
        <translation>按名称或编号定位要素（Ctrl+K）</translation>
    </message>
    <message>
        <source>The map cannot show that point in its CRS.</source>
        <translation>地图在当前坐标系中无法显示该点。</translation>
    </message>
    <message>
        <source>Centred on {point} (lon, lat)</source>
        <translation>已居中到 {point}（经度, 纬度）</translation>
    </message>
    <message>
        <source>{name} in {layer}</source>
        <translation>{layer}中的{name}</translation>
    </message>
    <message>
        <source>Bookmark {name} deleted</source>
        <translation>已删除书签 {name}</translation>
    </message>
</context>
<context>
    <name>Validity</name>
    <message>
        <source>{feature} — {problem} (at {lon:.5f}°E, {lat:.5f}°N).</source>
        <translation>{feature} — {problem}（位于东经 {lon:.5f}°，北纬 {lat:.5f}°）。</translation>
    </message>
    <message>
        <source>{n} more problem(s) are marked on the map.</source>
        <translation>另有 {n} 处问题已在地图上标出。</translation>
    </message>
    <message>
        <source>Undo the edit or repair the shape before saving.</source>
        <translation>保存前请撤销该编辑或修复形状。</translation>
    </message>
</context>
<context>
    <name>ValidityBar</name>
    <message>
        <source>Repair</source>
        <translation>修复</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Zoom to</source>
        <translation>缩放至</translation>
    </message>
</context>
</TS>
